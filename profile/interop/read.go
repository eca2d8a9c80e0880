package interop

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/kycsdk/kyc/internal/country"
	"github.com/kycsdk/kyc/internal/jsonconfig"
	"github.com/kycsdk/kyc/internal/jsontree"
	"github.com/kycsdk/kyc/profile"
)

// decode parses data as one JSON value, keeping numbers exact. A key
// repeated in an object is a syntax error.
func decode(data []byte) (any, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowInvalidUTF8(true))
	v, err := jsontree.Read(dec)
	if err != nil {
		return nil, syntaxError(data, err)
	}
	if _, err := dec.ReadToken(); !errors.Is(err, io.EOF) {
		off := dec.InputOffset()
		line, col := jsonconfig.LinePos(data, off)
		return nil, &SyntaxError{Line: line, Column: col, Offset: off, Reason: "data after the JSON value"}
	}
	return v, nil
}

// syntaxError locates the decoder's error. Its reason is named from the
// library's sentinels: the error's own text can quote the input.
func syntaxError(data []byte, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		line, col := jsonconfig.LinePos(data, int64(len(data)))
		return &SyntaxError{Line: line, Column: col, Offset: int64(len(data)), Reason: "unexpected end of JSON input"}
	}
	var se *jsontext.SyntacticError
	if !errors.As(err, &se) {
		return &SyntaxError{Line: 1, Column: 1, Reason: "invalid JSON"}
	}
	line, col := jsonconfig.LinePos(data, se.ByteOffset)
	reason := "unexpected character"
	if errors.Is(se.Err, jsontext.ErrDuplicateName) {
		reason = "duplicate key"
	}
	return &SyntaxError{Line: line, Column: col, Offset: se.ByteOffset, Reason: reason}
}

// reader walks a decoded payload, recording what it could not map. Every
// key of every object it opens is either read or reported.
type reader struct {
	unmapped []Unmapped
	err      error
}

func (r *reader) fail(path string, kind error) {
	if r.err == nil {
		r.err = &FieldError{Path: path, Err: kind}
	}
}

func (r *reader) skip(path, reason string) {
	r.unmapped = append(r.unmapped, Unmapped{Path: path, Reason: reason})
}

// obj is an object of the payload being read.
type obj struct {
	r    *reader
	path string
	m    map[string]any
	used map[string]bool
}

// object opens v as an object; nil (absent or null) gives an empty one.
func (r *reader) object(path string, v any) *obj {
	o := &obj{r: r, path: path, used: map[string]bool{}}
	switch m := v.(type) {
	case map[string]any:
		o.m = m
	case nil:
	default:
		r.fail(path, ErrType)
	}
	return o
}

// root opens the payload itself, which must be an object (null is not).
func (r *reader) root(v any) *obj {
	if _, ok := v.(map[string]any); !ok {
		r.fail("", ErrType)
	}
	return r.object("", v)
}

func (o *obj) at(key string) string { return joinPath(o.path, key) }

func joinPath(base, key string) string {
	if base == "" {
		return key
	}
	return base + "." + key
}

func indexPath(base string, i int) string { return base + "[" + strconv.Itoa(i) + "]" }

func (o *obj) has(key string) bool {
	_, ok := o.m[key]
	return ok
}

// raw returns the value of key, marking it read.
func (o *obj) raw(key string) any {
	o.used[key] = true
	return o.m[key]
}

// str returns the string at key; absent and null give "".
func (o *obj) str(key string) string {
	switch v := o.raw(key).(type) {
	case string:
		return v
	case nil:
	default:
		o.r.fail(o.at(key), ErrType)
	}
	return ""
}

func (o *obj) object(key string) *obj { return o.r.object(o.at(key), o.raw(key)) }

// list returns the elements of the array at key; absent and null give none.
func (o *obj) list(key string) []any {
	switch v := o.raw(key).(type) {
	case []any:
		return v
	case nil:
	default:
		o.r.fail(o.at(key), ErrType)
	}
	return nil
}

// elements returns the non-null elements of the array at key with their
// paths; a null element is reported, never read as an empty record.
func (o *obj) elements(key string) (paths []string, elems []any) {
	base := o.at(key)
	for i, e := range o.list(key) {
		path := indexPath(base, i)
		if e == nil {
			o.r.skip(path, reasonNull)
			continue
		}
		paths = append(paths, path)
		elems = append(elems, e)
	}
	return paths, elems
}

// date reads an ISO 8601 calendar date as the profile's midnight-UTC date.
func (o *obj) date(key string) *profile.Date {
	s := o.str(key)
	if s == "" {
		return nil
	}
	d, err := profile.ParseDate(s)
	if err != nil {
		o.r.fail(o.at(key), ErrDate)
		return nil
	}
	return &d
}

// freeObject returns the object at key as free JSON, kept whole.
func (o *obj) freeObject(key string) profile.Object {
	switch v := o.raw(key).(type) {
	case map[string]any:
		return v
	case nil:
	default:
		o.r.fail(o.at(key), ErrType)
	}
	return nil
}

// done reports every key that was not read, in key order.
func (o *obj) done() {
	var left []string
	for k := range o.m {
		if !o.used[k] {
			left = append(left, k)
		}
	}
	slices.Sort(left)
	for _, k := range left {
		o.r.skip(o.at(k), reasonUnknownKey)
	}
}

// countryIn returns the stored (alpha-2) form of a country of the payload;
// a value that is no known country is kept as given, for the profile's
// validation to name.
func countryIn(s string) string {
	if a2, ok := country.Alpha2(s); ok {
		return a2
	}
	return s
}

// alpha3Out returns the alpha-3 code of a stored country, or the stored
// value when it is not an alpha-2 code.
func alpha3Out(s string) string {
	if a3, ok := country.Alpha3(s); ok && country.IsAlpha2(s) {
		return a3
	}
	return s
}

// encode writes v as compact JSON without HTML escaping.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte{'\n'}), nil
}
