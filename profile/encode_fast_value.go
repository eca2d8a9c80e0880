package profile

import (
	"encoding/json"
	"errors"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf8"
)

// The kinds of value an Object can hold that are not JSON. They are the
// Message of the problem encodeFast reports, so they name the kind only.
var (
	errNotFinite   = errors.New("a NaN or infinite number")
	errNumber      = errors.New("an invalid json.Number")
	errRawMessage  = errors.New("a json.RawMessage that is not JSON")
	errType        = errors.New("a value of a type JSON cannot hold")
	errUnsupported = errors.New("a NaN or infinite number, or a value that contains itself")
	errMarshaler   = errors.New("a value whose MarshalJSON or MarshalText failed")
	errRefused     = errors.New("a value encoding/json refuses")
)

// objectError reports an Object holding a value that is not JSON as the
// Validator reports such metadata: a *ValidationError, with the path of the
// Object and the kind of value, never the value or its key.
func objectError(path string, kind error) error {
	return &ValidationError{Problems: []Problem{{
		Path:    path,
		Code:    CodeMetadataNotJSON,
		Message: "holds a value that is not JSON: " + kind.Error(),
	}}}
}

// appendObjectField writes an omitempty Object field. Its error is the kind
// of value refused, for objectError.
func appendObjectField(b []byte, key string, o Object) ([]byte, error) {
	if len(o) == 0 {
		return b, nil
	}
	return appendObject(append(b, key...), o, 1)
}

// appendObject writes a map[string]any as encoding/json does: keys sorted
// by their bytes, then escaped. Below MaxDepth levels, deeper than any
// decoded profile, the rest is left to encoding/json, which finds a map or
// slice that contains itself; a tree without one is written the same either
// way.
func appendObject(b []byte, m map[string]any, depth int) ([]byte, error) {
	if depth > MaxDepth {
		return appendMarshaled(b, m)
	}
	var buf [16]string
	b = append(b, '{')
	for i, k := range keysSorted(buf[:0], m) {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendAny(append(appendString(b, k), ':'), m[k], depth+1); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func appendArray(b []byte, a []any, depth int) ([]byte, error) {
	if depth > MaxDepth {
		return appendMarshaled(b, a)
	}
	b = append(b, '[')
	for i, v := range a {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendAny(b, v, depth+1); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

// appendAny writes the value of an Object member or array element. The
// kinds a decoded Object holds, and the numbers and nested maps a program
// puts in one, are written here; any other type goes to json.Marshal,
// whose output for a value in an interface is what it writes for that
// value in place.
func appendAny(b []byte, v any, depth int) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendString(b, x), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case json.Number:
		return appendNumber(b, x)
	case map[string]any:
		return appendMap(b, x, depth)
	case Object:
		return appendMap(b, x, depth)
	case []any:
		if x == nil {
			return append(b, "null"...), nil
		}
		return appendArray(b, x, depth)
	case float64:
		return appendFloat(b, x, 64)
	case float32:
		return appendFloat(b, float64(x), 32)
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case int32:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int16:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int8:
		return strconv.AppendInt(b, int64(x), 10), nil
	case uint:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case uint64:
		return strconv.AppendUint(b, x, 10), nil
	case uint32:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case uint16:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case uint8:
		return strconv.AppendUint(b, uint64(x), 10), nil
	case json.RawMessage:
		return appendRawMessage(b, x)
	}
	return appendMarshaled(b, v)
}

func appendMap(b []byte, m map[string]any, depth int) ([]byte, error) {
	if m == nil {
		return append(b, "null"...), nil
	}
	return appendObject(b, m, depth)
}

// appendMarshaled writes what json.Marshal writes for v, with its error
// reduced to a kind: its text can quote the value.
func appendMarshaled(b []byte, v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err == nil {
		return append(b, data...), nil
	}
	var typeErr *json.UnsupportedTypeError
	var valueErr *json.UnsupportedValueError
	var marshalerErr *json.MarshalerError
	switch {
	case errors.As(err, &marshalerErr):
		return nil, errMarshaler
	case errors.As(err, &typeErr):
		return nil, errType
	case errors.As(err, &valueErr):
		return nil, errUnsupported
	}
	return nil, errRefused
}

func keysSorted[V any](buf []string, m map[string]V) []string {
	for k := range m {
		buf = append(buf, k)
	}
	slices.Sort(buf)
	return buf
}

// appendNumber writes a json.Number as encoding/json does: the empty
// Number as 0, any text that is not a JSON number refused.
func appendNumber(b []byte, n json.Number) ([]byte, error) {
	s := string(n)
	if s == "" {
		s = "0"
	}
	if !isValidNumber(s) {
		return nil, errNumber
	}
	return append(b, s...), nil
}

// isValidNumber is encoding/json's check of a json.Number (encode.go),
// the grammar of RFC 8259, section 6.
func isValidNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		if s = s[1:]; s == "" {
			return false
		}
	}
	switch {
	case s[0] == '0':
		s = s[1:]
	case '1' <= s[0] && s[0] <= '9':
		s = skipDigits(s[1:])
	default:
		return false
	}
	if len(s) >= 2 && s[0] == '.' && isDigit(s[1]) {
		s = skipDigits(s[2:])
	}
	if len(s) >= 2 && (s[0] == 'e' || s[0] == 'E') {
		s = s[1:]
		if s[0] == '+' || s[0] == '-' {
			if s = s[1:]; s == "" {
				return false
			}
		}
		s = skipDigits(s)
	}
	return s == ""
}

func skipDigits(s string) string {
	for len(s) > 0 && isDigit(s[0]) {
		s = s[1:]
	}
	return s
}

// appendFloat formats a float as encoding/json does (encode.go,
// floatEncoder): like ECMAScript's Number.toString, 'f' between 1e-6 and
// 1e21 and 'e' outside, with the exponent not padded to two digits. The
// cutoffs of a float32 are compared in float32.
func appendFloat(b []byte, f float64, bits int) ([]byte, error) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errNotFinite
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	b = strconv.AppendFloat(b, f, format, -1, bits)
	if format == 'e' {
		// e-09 becomes e-9.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b, nil
}

// appendRawMessage writes a json.RawMessage as encoding/json writes a
// Marshaler's output: nil as null, compacted, HTML-escaped, and refused
// when it is not one JSON value.
func appendRawMessage(b []byte, raw json.RawMessage) ([]byte, error) {
	if raw == nil {
		return append(b, "null"...), nil
	}
	if !json.Valid(raw) {
		return nil, errRawMessage
	}
	return appendCompact(b, raw, true), nil
}

// appendCompact writes valid JSON without the white space between tokens,
// as json.Compact does; with escapeHTML it also escapes <, >, & and
// U+2028, U+2029 inside strings, as encoding/json does to a Marshaler's
// output. Valid JSON has none of these outside strings.
func appendCompact(b, raw []byte, escapeHTML bool) []byte {
	start := 0
	inString := false
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case inString && c == '\\':
			i++ // the escaped byte is ASCII and never escaped again
		case inString && c == '"':
			inString = false
		case inString && escapeHTML && (c == '<' || c == '>' || c == '&'):
			b = append(append(b, raw[start:i]...), '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			start = i + 1
		case inString && escapeHTML && c == 0xE2 && i+2 < len(raw) && raw[i+1] == 0x80 && raw[i+2]&^1 == 0xA8:
			b = append(append(b, raw[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[raw[i+2]&0xF])
			i += 2
			start = i + 1
		case inString:
		case c == '"':
			inString = true
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			b = append(b, raw[start:i]...)
			start = i + 1
		}
	}
	return append(b, raw[start:]...)
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string exactly as encoding/json does with
// HTML escaping on (encode.go, appendString): the short escapes for the
// quote, the backslash, \b, \f, \n, \r and \t; \u00XX for the other control
// characters and for <, > and &; \u2028 and \u2029; and \ufffd for each
// byte that is not part of valid UTF-8.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := skipHTMLSafe(s, 0); i < len(s); i = skipHTMLSafe(s, i) {
		if c := s[i]; c < utf8.RuneSelf {
			b = appendEscapedByte(append(b, s[start:i]...), c)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendEscapedByte(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\b':
		return append(b, '\\', 'b')
	case '\f':
		return append(b, '\\', 'f')
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// htmlSafe marks the bytes encoding/json writes as they are with HTML
// escaping on: printable ASCII but the quote, the backslash, <, > and &.
var htmlSafe = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// skipHTMLSafe returns the index of the first byte from s[i] on that is not
// HTML-safe, or len(s), eight bytes at a time while it can, as skipPlain
// does for the decoder.
func skipHTMLSafe(s string, i int) int {
	for len(s)-i >= 8 {
		if m := notHTMLSafe(load64(s, i)); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
		i += 8
	}
	for i < len(s) && htmlSafe[s[i]] {
		i++
	}
	return i
}

// load64 reads s[i:i+8] little-endian; the compiler makes it one load.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// notHTMLSafe is notPlain with <, > and & also marked. '<' and '>' differ
// only in bit 1 and '&' differs from the quote only in bit 2, so each pair
// is one more zero-byte test; as in notPlain, the lowest bit set is exact.
func notHTMLSafe(w uint64) uint64 {
	angle := (w | lowBits*0x02) ^ lowBits*'>'
	quoteAmp := (w | lowBits*0x04) ^ lowBits*'&'
	backslash := w ^ lowBits*'\\'
	return (w | (angle-lowBits)&^angle | (quoteAmp-lowBits)&^quoteAmp |
		(backslash-lowBits)&^backslash | (w-lowBits*' ')&^w) & highBits
}
