package history

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth is the nesting limit of encoding/json, kept so that both decoders
// accept the same documents.
const maxDepth = 10000

// decoder turns JSON text into the values encoding/json gives with UseNumber
// (map[string]any, []any, string, json.Number, bool, nil), with the same
// acceptance, the same replacement of invalid UTF-8 and last-key-wins on
// duplicate keys. It is written by hand because DiffJSON spends most of its
// time decoding: strings and numbers without escapes are substrings of one
// copy of the input, and objects and arrays are built at their final size
// from a scratch stack shared by all nesting levels.
type decoder struct {
	s     string
	i     int
	depth int
	kvs   []keyValue
	vals  []any
}

type keyValue struct {
	key string
	val any
}

// decodeJSON decodes data as one JSON value. The result shares memory with
// one string copy of data, never with data itself.
func decodeJSON(data []byte) (any, error) {
	var d decoder
	return d.reset(data).document()
}

// reset prepares d to decode data, keeping its scratch stacks.
func (d *decoder) reset(data []byte) *decoder {
	d.s, d.i, d.depth = string(data), 0, 0
	return d
}

func (d *decoder) document() (any, error) {
	d.skipSpace()
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.i != len(d.s) {
		return nil, d.fail("data after the top-level value")
	}
	return v, nil
}

func (d *decoder) fail(what string) error {
	return fmt.Errorf("%w: %s at offset %d", ErrInvalidJSON, what, d.i)
}

func (d *decoder) skipSpace() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *decoder) value() (any, error) {
	if d.i >= len(d.s) {
		return nil, d.fail("unexpected end of input")
	}
	switch c := d.s[d.i]; {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		return s, nil
	case c == '-' || isDigit(c):
		n, err := d.number()
		if err != nil {
			return nil, err
		}
		return json.Number(n), nil
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	}
	return nil, d.fail("unexpected character")
}

func (d *decoder) literal(word string) error {
	if !strings.HasPrefix(d.s[d.i:], word) {
		return d.fail("invalid literal")
	}
	d.i += len(word)
	return nil
}

func (d *decoder) enter() error {
	d.depth++
	if d.depth > maxDepth {
		return d.fail("nesting too deep")
	}
	d.i++ // the opening bracket
	d.skipSpace()
	return nil
}

func (d *decoder) object() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	base := len(d.kvs)
	defer func() { d.kvs = d.kvs[:base] }()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		return d.closeObject(base), nil
	}
	for {
		if err := d.member(); err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.i >= len(d.s) {
			return nil, d.fail("unexpected end of input in object")
		}
		switch d.s[d.i] {
		case ',':
			d.i++
			d.skipSpace()
		case '}':
			return d.closeObject(base), nil
		default:
			return nil, d.fail("expected ',' or '}' in object")
		}
	}
}

func (d *decoder) member() error {
	key, err := d.key()
	if err != nil {
		return err
	}
	v, err := d.value()
	if err != nil {
		return err
	}
	d.kvs = append(d.kvs, keyValue{key, v})
	return nil
}

// key reads a member's key and the colon after it, up to the value.
func (d *decoder) key() (string, error) {
	if d.i >= len(d.s) || d.s[d.i] != '"' {
		return "", d.fail("expected a string key")
	}
	key, err := d.str()
	if err != nil {
		return "", err
	}
	d.skipSpace()
	if d.i >= len(d.s) || d.s[d.i] != ':' {
		return "", d.fail("expected ':' after key")
	}
	d.i++
	d.skipSpace()
	return key, nil
}

func (d *decoder) closeObject(base int) map[string]any {
	d.i++
	d.depth--
	members := d.kvs[base:]
	m := make(map[string]any, len(members))
	for _, kv := range members {
		m[kv.key] = kv.val
	}
	clear(members) // drop references held by the scratch stack
	return m
}

func (d *decoder) array() (any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	base := len(d.vals)
	defer func() { d.vals = d.vals[:base] }()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		return d.closeArray(base), nil
	}
	for {
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		d.vals = append(d.vals, v)
		d.skipSpace()
		if d.i >= len(d.s) {
			return nil, d.fail("unexpected end of input in array")
		}
		switch d.s[d.i] {
		case ',':
			d.i++
			d.skipSpace()
		case ']':
			return d.closeArray(base), nil
		default:
			return nil, d.fail("expected ',' or ']' in array")
		}
	}
}

func (d *decoder) closeArray(base int) []any {
	d.i++
	d.depth--
	elems := d.vals[base:]
	out := make([]any, len(elems))
	copy(out, elems)
	clear(elems)
	return out
}

// number scans a number and returns its text.
func (d *decoder) number() (string, error) {
	start := d.i
	if d.s[d.i] == '-' {
		d.i++
	}
	// The integer part is 0 or starts with 1-9: a digit after a leading
	// zero ends the number, and the caller then fails on it.
	if d.i < len(d.s) && d.s[d.i] == '0' {
		d.i++
	} else if !d.digits() {
		return "", d.fail("invalid number")
	}
	if d.i < len(d.s) && d.s[d.i] == '.' {
		d.i++
		if !d.digits() {
			return "", d.fail("invalid number")
		}
	}
	if d.i < len(d.s) && (d.s[d.i] == 'e' || d.s[d.i] == 'E') {
		d.i++
		if d.i < len(d.s) && (d.s[d.i] == '+' || d.s[d.i] == '-') {
			d.i++
		}
		if !d.digits() {
			return "", d.fail("invalid number")
		}
	}
	return d.s[start:d.i], nil
}

// digits consumes a run of digits and reports whether it was not empty.
func (d *decoder) digits() bool {
	start := d.i
	for d.i < len(d.s) && isDigit(d.s[d.i]) {
		d.i++
	}
	return d.i > start
}

// str scans a string and returns its value: a substring of the input when
// it has no escapes, which is most strings, so that nothing is allocated.
func (d *decoder) str() (string, error) {
	d.i++ // opening quote
	start := d.i
	ascii := true
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			s := d.s[start:d.i]
			if !ascii && !utf8.ValidString(s) {
				return d.slowString(start)
			}
			d.i++
			return s, nil
		case c == '\\':
			return d.slowString(start)
		case c < 0x20:
			return "", d.fail("control character in string")
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
	return "", d.fail("unterminated string")
}

// slowString decodes a string with escapes or invalid UTF-8 from its first
// character, as encoding/json does: invalid bytes and unpaired surrogates
// become U+FFFD.
func (d *decoder) slowString(start int) (string, error) {
	var b strings.Builder
	d.i = start
	for d.i < len(d.s) {
		c := d.s[d.i]
		switch {
		case c == '"':
			d.i++
			return b.String(), nil
		case c == '\\':
			if err := d.escape(&b); err != nil {
				return "", err
			}
		case c < 0x20:
			return "", d.fail("control character in string")
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			d.i++
		default:
			r, size := utf8.DecodeRuneInString(d.s[d.i:])
			b.WriteRune(r) // RuneError for an invalid byte, as encoding/json
			d.i += size
		}
	}
	return "", d.fail("unterminated string")
}

func (d *decoder) escape(b *strings.Builder) error {
	if d.i+1 >= len(d.s) {
		return d.fail("unterminated string")
	}
	c := d.s[d.i+1]
	if c == 'u' {
		return d.unicodeEscape(b)
	}
	r, ok := simpleEscapes[c]
	if !ok {
		return d.fail("invalid escape in string")
	}
	b.WriteByte(r)
	d.i += 2
	return nil
}

var simpleEscapes = map[byte]byte{
	'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t',
}

func (d *decoder) unicodeEscape(b *strings.Builder) error {
	r := hex4(d.s[d.i:])
	if r < 0 {
		return d.fail("invalid unicode escape in string")
	}
	d.i += 6
	if utf16.IsSurrogate(r) {
		if dec := utf16.DecodeRune(r, hex4(d.s[d.i:])); dec != unicode.ReplacementChar {
			b.WriteRune(dec)
			d.i += 6
			return nil
		}
		r = unicode.ReplacementChar
	}
	b.WriteRune(r)
	return nil
}

// hex4 decodes a \uXXXX escape at the start of s, or returns -1.
func hex4(s string) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range []byte(s[2:6]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
