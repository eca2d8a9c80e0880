package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/kycsdk/kyc/internal/jsonconfig"
)

// Limits checked before any decoding, so that a hostile input costs at most
// one pass over its bytes.
const (
	// MaxInputSize is the largest input Decode accepts: 16 MiB holds a
	// profile with 100,000 contacts or a 10 MB string, and bounds the memory
	// a decode can take to a small multiple of it.
	MaxInputSize = 16 << 20
	// MaxDepth is the deepest nesting of arrays and objects accepted,
	// counting the profile itself as 1. The profile's own records reach 4;
	// the rest is left to tenant metadata.
	MaxDepth = 64
)

// The profile's JSON is go-json-experiment/json's (STYLE.md 17): keys match
// case-sensitively, a repeated key is refused at any depth, and every error
// is the library's structured error, carrying the JSON pointer of the
// problem, turned into this package's (decodeError) without reading its
// text.

// wire has Profile's fields without its methods, so that the library
// encodes and decodes the fields themselves.
type wire Profile

// Options of the library, built once. Invalid UTF-8 in a string becomes
// U+FFFD, as it did with encoding/json: Validate reports the text rules
// (StorableText), the codec does not refuse what it can read.
var (
	decodeOptions = jsontext.AllowInvalidUTF8(true)
	strictOptions = jsonv2.JoinOptions(decodeOptions, jsonv2.RejectUnknownMembers(true))
	// Map keys sorted, as encoding/json wrote them, so that the same
	// profile always has the same bytes.
	encodeOptions = jsonv2.JoinOptions(
		jsonv2.DefaultOptionsV2(),
		jsonv2.Deterministic(true),
		jsontext.AllowInvalidUTF8(true),
		// An unknown key's value keeps its bytes, escapes included.
		jsontext.PreserveRawStrings(true),
	)
	// Inside an Object only: a type-specific marshaler costs a look-up
	// for every value it could apply to.
	objectEncodeOptions = jsonv2.JoinOptions(encodeOptions, jsonv2.WithMarshalers(numberMarshaler))
)

// knownKeys are the top-level JSON keys of Profile, read from its tags so
// that a field added to Profile is known at once.
var knownKeys = sync.OnceValue(func() map[string]bool {
	keys := map[string]bool{}
	t := reflect.TypeFor[Profile]()
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
})

// Decode decodes a profile leniently, the default: top-level keys this
// package does not know are kept in Profile.Unknown and written back by
// Encode, so that a profile written by a newer version, or carrying a
// tenant's extra keys, survives a read-modify-write unchanged (seed 003,
// section 3: the profile is an extensible resource). Unknown keys inside the
// nested records are ignored. Keys match case-sensitively; a key repeated
// in any object is a syntax error.
//
// Decode does not normalise or validate: call Normalize and Validate.
// Errors wrap ErrTooLarge, ErrTooDeep, ErrSyntax (a *SyntaxError with line
// and column) or ErrType (a *TypeError with the path).
func Decode(data []byte) (*Profile, error) {
	return decode(data, false)
}

// DecodeStrict decodes a profile and refuses any key it does not know, at
// the top level (every such key is listed in an *UnknownFieldError) and in
// the nested records. Use it at an API boundary that must reject typos.
func DecodeStrict(data []byte) (*Profile, error) {
	return decode(data, true)
}

// Encode returns the profile's JSON: the seed's keys in the order of
// types.go, then the keys of Profile.Unknown in sorted order.
func Encode(p *Profile) ([]byte, error) {
	w, err := p.wireOut()
	if err != nil {
		return nil, err
	}
	out, err := jsonv2.Marshal(w, encodeOptions)
	if err != nil {
		return nil, encodeError(err)
	}
	return out, nil
}

// MarshalJSONTo writes the profile as Encode does, for callers of
// go-json-experiment/json (and of encoding/json/v2).
func (p Profile) MarshalJSONTo(enc *jsontext.Encoder) error {
	w, err := p.wireOut()
	if err != nil {
		return err
	}
	if err := jsonv2.MarshalEncode(enc, w, encodeOptions); err != nil {
		return encodeError(err)
	}
	return nil
}

// UnmarshalJSONFrom decodes the next value of dec leniently, as Decode
// does. On error p is left unchanged.
func (p *Profile) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	return p.UnmarshalJSON(raw)
}

// MarshalJSON writes the profile as Encode does, for callers of
// encoding/json. An Object holding a value that is not JSON is an error
// wrapping ErrInvalid; an unknown key that is not valid JSON, or that is one
// of Profile's, wraps ErrUnknownValue.
func (p Profile) MarshalJSON() ([]byte, error) {
	return Encode(&p)
}

// UnmarshalJSON decodes leniently, as Decode does. On error p is left
// unchanged.
func (p *Profile) UnmarshalJSON(data []byte) error {
	var q Profile
	if err := decodeInto(data, false, &q); err != nil {
		return err
	}
	*p = q
	return nil
}

// wireOut pairs the profile with its unknown keys, checked here so that
// the error names the key rather than a position in the output.
func (p *Profile) wireOut() (*wireProfile, error) {
	w := &wireProfile{wire: (*wire)(p)}
	if len(p.Unknown) == 0 {
		return w, nil
	}
	w.Unknown = make(map[string]jsontext.Value, len(p.Unknown))
	for k, raw := range p.Unknown {
		v := jsontext.Value(raw)
		if knownKeys()[k] || !v.IsValid(jsontext.AllowInvalidUTF8(true)) {
			return nil, fmt.Errorf("%w: %q", ErrUnknownValue, shortKey(k))
		}
		w.Unknown[k] = v
	}
	return w, nil
}

func decode(data []byte, strict bool) (*Profile, error) {
	p := new(Profile)
	if err := decodeInto(data, strict, p); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeInto decodes data into p, which must be the zero Profile. The size
// and depth limits are checked first: the library's own depth limit is
// 10,000 and cannot be lowered in this version.
func decodeInto(data []byte, strict bool, p *Profile) error {
	if len(data) > MaxInputSize {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxInputSize)
	}
	if mayBeDeeper(data, MaxDepth) && jsonDepth(data) > MaxDepth {
		return fmt.Errorf("%w: deeper than %d levels", ErrTooDeep, MaxDepth)
	}
	w := wireProfile{wire: (*wire)(p)}
	opts := decodeOptions
	if strict {
		opts = strictOptions
	}
	if err := jsonv2.Unmarshal(data, &w, opts); err != nil {
		return decodeError(data, err)
	}
	if first := firstByte(data); first != '{' {
		// null decodes into a struct without error; it is not a profile.
		return &TypeError{Expected: "a JSON object", Line: 1, Column: 1}
	}
	if len(w.Unknown) == 0 {
		return nil
	}
	if strict {
		return &UnknownFieldError{Keys: slices.Sorted(maps.Keys(w.Unknown))}
	}
	p.Unknown = make(map[string]json.RawMessage, len(w.Unknown))
	for k, v := range w.Unknown {
		// Only whitespace goes: strings and numbers keep their bytes.
		_ = v.Compact(jsontext.AllowInvalidUTF8(true), jsontext.PreserveRawStrings(true))
		p.Unknown[k] = json.RawMessage(v)
	}
	return nil
}

func firstByte(data []byte) byte {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\n', '\r':
		default:
			return c
		}
	}
	return 0
}

// decodeError turns the library's errors into this package's, which carry
// the JSON path and position but never the input value (a SemanticError's
// JSONValue can quote it).
func decodeError(data []byte, err error) error {
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		return syntaxError(data, se)
	}
	var me *jsonv2.SemanticError
	if !errors.As(err, &me) {
		return fmt.Errorf("%w: value cannot be decoded", ErrType)
	}
	path := jsonconfig.Path(me.JSONPointer)
	if errors.Is(me.Err, jsonv2.ErrUnknownName) {
		return &UnknownFieldError{Keys: []string{path}}
	}
	line, col := jsonconfig.LinePos(data, valueStart(data, me.ByteOffset))
	return &TypeError{Path: path, Expected: jsonconfig.Kind(me.GoType), Line: line, Column: col}
}

func syntaxError(data []byte, se *jsontext.SyntacticError) *SyntaxError {
	off := se.ByteOffset
	if off >= int64(len(data)) && len(data) > 0 {
		off = int64(len(data)) - 1 // the end of the input: its last byte
	}
	line, col := jsonconfig.LinePos(data, off)
	e := &SyntaxError{Line: line, Column: col, Offset: se.ByteOffset, Reason: syntaxReason(se.Err)}
	if errors.Is(se.Err, jsontext.ErrDuplicateName) {
		e.Path = jsonconfig.Path(se.JSONPointer)
	}
	return e
}

// syntaxReason names the kind of problem from the library's sentinels; the
// other errors' texts quote the offending character, so they are not used.
func syntaxReason(err error) string {
	switch {
	case errors.Is(err, jsontext.ErrDuplicateName):
		return "duplicate key"
	case errors.Is(err, jsontext.ErrNonStringName):
		return "object key is not a string"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "unexpected end of input"
	}
	return "unexpected character"
}

// valueStart moves past the whitespace before a value, where the library
// reports a type error, to the value's first byte.
func valueStart(data []byte, off int64) int64 {
	off = max(0, min(off, int64(len(data))))
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\n', '\r', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// encodeError reports an Object holding a value that is not JSON as the
// Validator reports such metadata: a *ValidationError with the path of the
// Object, never the value or its key.
func encodeError(err error) error {
	var oe *objectError
	if errors.As(err, &oe) {
		return &ValidationError{Problems: []Problem{{
			Path:    jsonconfig.Path(oe.at),
			Code:    CodeMetadataNotJSON,
			Message: "holds a value that is not JSON",
		}}}
	}
	return err
}

// mayBeDeeper reports whether data has more than limit opening brackets,
// which nesting deeper than limit needs. bytes.Count is vectorised: a
// profile as stored, with a few dozen brackets, skips jsonDepth's
// byte-by-byte pass, a fifth of the decode time before this check.
func mayBeDeeper(data []byte, limit int) bool {
	return bytes.Count(data, []byte{'{'})+bytes.Count(data, []byte{'['}) > limit
}

// jsonDepth returns the deepest nesting of arrays and objects in data,
// ignoring brackets inside strings. It works on any input, valid or not, so
// that the depth limit holds before the library, whose own limit is 10,000,
// sees the text.
func jsonDepth(data []byte) int {
	d, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range data {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString && c == '"':
			inString = false
		case inString:
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			d++
			deepest = max(deepest, d)
		case c == '}' || c == ']':
			d--
		}
	}
	return deepest
}
