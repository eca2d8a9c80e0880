package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/kycsdk/kyc/internal/jsonkey"
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

// plain has Profile's fields without its methods, for the default encoding.
type plain Profile

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
// nested records are ignored.
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

// Encode returns the profile's JSON: the seed's keys, then the keys of
// Profile.Unknown in sorted order.
func Encode(p *Profile) ([]byte, error) {
	return p.MarshalJSON()
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

// MarshalJSON writes the profile and its unknown top-level keys, exactly as
// json.Marshal would write its fields, without reflection (encodeFast). An
// Object holding a value that is not JSON is an error wrapping ErrInvalid;
// an unknown key that is not valid JSON, or that is one of Profile's, wraps
// ErrUnknownValue.
func (p Profile) MarshalJSON() ([]byte, error) {
	return encodeFast(&p)
}

// appendUnknown appends the unknown keys, sorted, to the object just
// written at b[start:].
func appendUnknown(b []byte, start int, unknown map[string]json.RawMessage) ([]byte, error) {
	var buf [16]string
	keys := keysSorted(buf[:0], unknown)
	b = b[:len(b)-1] // without the closing brace
	empty := len(b) == start+1
	for _, k := range keys {
		raw := unknown[k]
		if knownKeys()[k] || !json.Valid(raw) {
			return nil, fmt.Errorf("%w: %q", ErrUnknownValue, shortKey(k))
		}
		if !empty {
			b = append(b, ',')
		}
		empty = false
		b = append(appendString(b, k), ':')
		b = appendCompact(b, raw, false)
	}
	return append(b, '}'), nil
}

func decode(data []byte, strict bool) (*Profile, error) {
	p := new(Profile)
	if err := decodeInto(data, strict, p); err != nil {
		return nil, err
	}
	return p, nil
}

// decodeInto decodes data into p, which must be the zero Profile. After the
// size check, decodeFast takes the common input, a profile as Encode writes
// it, in one pass that checks the depth itself; such an input has no
// unknown key, so a strict and a lenient decode agree. What decodeFast
// declines goes to encoding/json, which also produces every error: the
// depth is checked first, in one pass that also tells whether every
// top-level key is one of Profile's: then the input goes to encoding/json as
// it is, with no second scan of its members and no copy. Otherwise the
// general path splits out the unknown members.
func decodeInto(data []byte, strict bool, p *Profile) error {
	if len(data) > MaxInputSize {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(data), MaxInputSize)
	}
	if decodeFast(data, p) {
		return nil
	}
	*p = Profile{}
	// The depth limit is checked before encoding/json, whose decoder
	// recurses, sees the text.
	depth, allKnown := prescan(data)
	if depth > MaxDepth {
		return fmt.Errorf("%w: deeper than %d levels", ErrTooDeep, MaxDepth)
	}
	// The strict decode, for API boundaries rather than storage reads,
	// keeps the general path: it needs the Decoder's DisallowUnknownFields,
	// which does not check the syntax of what follows the first value.
	if allKnown && !strict {
		return decodeKnownOnly(data, p)
	}
	return decodeGeneral(data, strict, p)
}

// decodeKnownOnly decodes an input whose top-level keys are all Profile's.
// json.Unmarshal checks the syntax of the whole input before it decodes
// anything, so a syntax error is reported as the general path reports it,
// ahead of any type error.
func decodeKnownOnly(data []byte, p *Profile) error {
	err := json.Unmarshal(data, (*plain)(p))
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return syntaxError(data)
	}
	return decodeError(data, err, false)
}

// decodeGeneral is the path for inputs with unknown top-level keys, or that
// are not a JSON object at all.
func decodeGeneral(data []byte, strict bool, p *Profile) error {
	if !json.Valid(data) {
		return syntaxError(data)
	}
	members, ok := topMembers(data)
	if !ok {
		return &TypeError{Expected: "a JSON object", Line: 1, Column: 1}
	}
	unknown := unknownMembers(members)
	if strict && len(unknown) > 0 {
		keys := make([]string, len(unknown))
		for i, m := range unknown {
			keys[i] = m.key
		}
		return &UnknownFieldError{Keys: keys}
	}
	if err := unmarshalKnown(data, unknown, strict, p); err != nil {
		return err
	}
	p.Unknown = keepUnknown(data, unknown)
	return nil
}

func unknownMembers(members []topMember) []topMember {
	keys := knownKeys()
	var unknown []topMember
	for _, m := range members {
		if !keys[m.key] {
			unknown = append(unknown, m)
		}
	}
	return unknown
}

// unmarshalKnown decodes the known members. When some members are unknown
// they are blanked out first, because encoding/json would match an unknown
// "Name" to the field "name" (it folds case) and the same key would then be
// both a field and an unknown key. Blanking keeps every byte in place, so
// that errors give the line and column of the input.
func unmarshalKnown(data []byte, unknown []topMember, strict bool, p *Profile) error {
	src := data
	if len(unknown) > 0 {
		src = blankMembers(data, unknown)
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	if strict {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode((*plain)(p))
	if err == nil {
		return nil
	}
	return decodeError(src, err, strict)
}

// blankMembers returns a copy of data with the given members and one comma
// next to each replaced by spaces: still valid JSON, same length.
func blankMembers(data []byte, ms []topMember) []byte {
	out := bytes.Clone(data)
	for _, m := range ms {
		for i := m.start; i < m.end; i++ {
			out[i] = ' '
		}
		if next := jsSkipSpace(out, m.end); next < len(out) && out[next] == ',' {
			out[next] = ' '
			continue
		}
		if prev := lastNonSpace(out, m.start); prev >= 0 && out[prev] == ',' {
			out[prev] = ' '
		}
	}
	return out
}

func lastNonSpace(data []byte, before int) int {
	for i := before - 1; i >= 0; i-- {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
		default:
			return i
		}
	}
	return -1
}

func keepUnknown(data []byte, ms []topMember) map[string]json.RawMessage {
	if len(ms) == 0 {
		return nil
	}
	out := make(map[string]json.RawMessage, len(ms))
	for _, m := range ms {
		var b bytes.Buffer
		// The input is valid JSON, so the value compacts without error.
		_ = json.Compact(&b, data[m.valStart:m.end])
		out[m.key] = b.Bytes()
	}
	return out
}

// decodeError turns encoding/json's errors into this package's, which carry
// no input value: an *UnmarshalTypeError's text can quote a number. strict
// says the decoder refused unknown keys, which it reports in an untyped
// message only; jsonkey names the key from src instead.
func decodeError(src []byte, err error, strict bool) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		line, col := linePos(src, valueStart(src, te.Offset))
		return &TypeError{Path: te.Field, Expected: jsonKind(te.Type), Line: line, Column: col}
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return syntaxError(src)
	}
	if strict {
		if key, ok := jsonkey.Unknown(src, reflect.TypeFor[plain]()); ok {
			return &UnknownFieldError{Keys: []string{key}}
		}
	}
	return fmt.Errorf("%w: %s", ErrType, jsonErrorKind(err))
}

// kindOfError keeps a decode error's kind without its detail, which may
// quote the input.
func jsonErrorKind(err error) string {
	var ie *json.InvalidUnmarshalError
	if errors.As(err, &ie) {
		return "invalid target"
	}
	return "value cannot be decoded"
}

func jsonKind(t reflect.Type) string {
	if t == nil {
		return "another type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer in range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "another type"
}

// syntaxError locates the first syntax error of data, which is known to be
// invalid JSON.
func syntaxError(data []byte) error {
	var v struct{}
	err := json.Unmarshal(data, &v)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return &SyntaxError{Line: 1, Column: 1, Reason: "invalid JSON"}
	}
	line, col := linePos(data, se.Offset-1)
	return &SyntaxError{Line: line, Column: col, Offset: se.Offset, Reason: syntaxReason(se.Error())}
}

// syntaxReason drops the quoted character from encoding/json's message
// ("invalid character 'J' after object key"), keeping only the kind.
func syntaxReason(msg string) string {
	if strings.HasPrefix(msg, "invalid character ") {
		if i := strings.LastIndex(msg, "' "); i >= 0 {
			return "unexpected character " + msg[i+2:]
		}
		return "unexpected character"
	}
	return msg
}

// valueStart moves back from the end of a scalar, where encoding/json
// reports a type error, to its first byte.
func valueStart(src []byte, end int64) int64 {
	end = min(end, int64(len(src)))
	if end <= 0 {
		return 0
	}
	i := end - 1
	if src[i] != '"' {
		for i > 0 && isLiteralByte(src[i-1]) {
			i--
		}
		return i
	}
	for i--; i >= 0; i-- {
		if src[i] == '"' && !escapedAt(src, i) {
			return i
		}
	}
	return 0
}

func isLiteralByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '.' || c == '-' || c == '+' || c == 'E'
}

// escapedAt reports whether src[i] follows an odd number of backslashes.
func escapedAt(src []byte, i int64) bool {
	n := 0
	for j := i - 1; j >= 0 && src[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// linePos returns the 1-based line and column (in bytes) of data[off].
func linePos(data []byte, off int64) (line, col int) {
	off = max(0, min(off, int64(len(data))))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// depth returns the deepest nesting of arrays and objects in data, ignoring
// brackets inside strings. It works on any input, valid or not, so that it
// can run before the JSON is parsed.
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

// topMember is one key-value pair of the top-level object: data[start:end] is
// `"key":value`, data[valStart:end] the value.
type topMember struct {
	key             string
	start, valStart int
	end             int
}

// topMembers lists the members of the top-level object of valid JSON; false
// when the top-level value is not an object.
func topMembers(data []byte) ([]topMember, bool) {
	i := jsSkipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	var ms []topMember
	i = jsSkipSpace(data, i+1)
	for i < len(data) && data[i] != '}' {
		m := topMember{start: i}
		keyEnd := jsSkipString(data, i)
		m.key = unquoteKey(data[i:keyEnd])
		i = jsSkipSpace(data, keyEnd)
		i = jsSkipSpace(data, i+1) // the colon
		m.valStart = i
		m.end = jsSkipValue(data, i)
		ms = append(ms, m)
		i = jsSkipSpace(data, m.end)
		if i < len(data) && data[i] == ',' {
			i = jsSkipSpace(data, i+1)
		}
	}
	return ms, true
}

// unquoteKey decodes a key as encoding/json does, invalid UTF-8 becoming
// U+FFFD, so that the key written back is the key read.
func unquoteKey(q []byte) string {
	if bytes.IndexByte(q, '\\') < 0 && utf8.Valid(q) {
		return string(q[1 : len(q)-1])
	}
	var s string
	_ = json.Unmarshal(q, &s) // valid JSON string: cannot fail
	return s
}

func jsSkipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after the string starting at data[i].
func jsSkipString(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(data)
}

// skipValue returns the index after the value starting at data[i].
func jsSkipValue(data []byte, i int) int {
	if i >= len(data) {
		return i
	}
	switch data[i] {
	case '"':
		return jsSkipString(data, i)
	case '{', '[':
		return jsSkipComposite(data, i)
	}
	for i < len(data) {
		switch data[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

func jsSkipComposite(data []byte, i int) int {
	d := 0
	for i < len(data) {
		switch data[i] {
		case '"':
			i = jsSkipString(data, i)
			continue
		case '{', '[':
			d++
		case '}', ']':
			d--
			if d == 0 {
				return i + 1
			}
		}
		i++
	}
	return i
}
