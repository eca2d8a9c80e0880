package profile

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// decoder reads JSON for decodeFast. Each value reader is called with the
// decoder at the value's first byte and leaves it just after the value; it
// returns false, and the whole fast decode is given up, on anything it does
// not treat exactly as encoding/json does.
//
// Every reader leaves its destination untouched for null. The destination is
// fresh and no key repeats, so that is what encoding/json does too: it sets
// pointers, slices and maps to nil and leaves strings, numbers, booleans and
// structs alone, and Object.UnmarshalJSON yields nil.
type decoder struct {
	data  []byte
	i     int
	depth int
	// buf holds the text of the last string read that had escapes; the
	// caller copies it before reading anything else.
	buf []byte
}

func (d *decoder) peek() byte {
	if d.i < len(d.data) {
		return d.data[d.i]
	}
	return 0 // a control byte, which no JSON value starts with
}

func (d *decoder) next() byte {
	if d.i == len(d.data) {
		return 0
	}
	d.i++
	return d.data[d.i-1]
}

func (d *decoder) skipSpace() {
	// Encode writes no space: one test is the common case.
	if d.i < len(d.data) && d.data[d.i] > ' ' {
		return
	}
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// literal consumes lit if the input continues with it. What follows is
// checked by the caller, which expects a comma, a closing bracket or the end.
func (d *decoder) literal(lit string) bool {
	if len(d.data)-d.i < len(lit) || string(d.data[d.i:d.i+len(lit)]) != lit {
		return false
	}
	d.i += len(lit)
	return true
}

func (d *decoder) null() bool { return d.peek() == 'n' && d.literal("null") }

// enter opens an object or an array, counting depth as jsonDepth does.
func (d *decoder) enter(open byte) bool {
	if d.peek() != open || d.depth == MaxDepth {
		return false
	}
	d.i++
	d.depth++
	d.skipSpace()
	return true
}

// separator ends the object or array at a closing bracket, or moves past a
// comma to the next member or element.
func (d *decoder) separator(closing byte) (done, ok bool) {
	d.skipSpace()
	switch d.next() {
	case ',':
		d.skipSpace()
		return false, true
	case closing:
		d.depth--
		return true, true
	}
	return false, false
}

// object calls member for each member of an object, with the decoder at the
// member's value. The key is only valid until the next read.
func (d *decoder) object(member func(key []byte) bool) bool {
	if d.null() {
		return true
	}
	if !d.enter('{') {
		return false
	}
	if d.peek() == '}' {
		d.i++
		d.depth--
		return true
	}
	for {
		key, ok := d.key()
		if !ok || !member(key) {
			return false
		}
		done, ok := d.separator('}')
		if done || !ok {
			return ok
		}
	}
}

// array calls elem for each element of an array, with the decoder at the
// element.
func (d *decoder) array(elem func() bool) bool {
	if d.null() {
		return true
	}
	if !d.enter('[') {
		return false
	}
	if d.peek() == ']' {
		d.i++
		d.depth--
		return true
	}
	for {
		if !elem() {
			return false
		}
		done, ok := d.separator(']')
		if done || !ok {
			return ok
		}
	}
}

func (d *decoder) key() ([]byte, bool) {
	key, ok := d.text()
	if !ok {
		return nil, false
	}
	d.skipSpace()
	if d.next() != ':' {
		return nil, false
	}
	d.skipSpace()
	return key, true
}

// text reads a string and returns its decoded bytes, which alias the input
// when the string has no escapes. Control characters and invalid UTF-8,
// which encoding/json refuses or replaces with U+FFFD, are declined.
func (d *decoder) text() ([]byte, bool) {
	if d.peek() != '"' {
		return nil, false
	}
	start := d.i + 1
	for j := start; ; {
		j = skipPlain(d.data, j)
		if j == len(d.data) {
			return nil, false
		}
		switch c := d.data[j]; {
		case c == '"':
			d.i = j + 1
			return d.data[start:j], true
		case c == '\\':
			return d.unescape(start, j)
		case c >= utf8.RuneSelf:
			var ok bool
			if j, ok = skipRune(d.data, j); !ok {
				return nil, false
			}
		default: // a control character
			return nil, false
		}
	}
}

// unescape reads into d.buf the string whose text starts at data[start] and
// has its first escape at data[j].
func (d *decoder) unescape(start, j int) ([]byte, bool) {
	buf := append(d.buf[:0], d.data[start:j]...)
	for {
		plain := skipPlain(d.data, j)
		buf = append(buf, d.data[j:plain]...)
		if j = plain; j == len(d.data) {
			return nil, false
		}
		switch c := d.data[j]; {
		case c == '"':
			d.buf = buf
			d.i = j + 1
			return buf, true
		case c == '\\':
			var ok bool
			if buf, j, ok = appendEscape(buf, d.data, j); !ok {
				return nil, false
			}
		case c >= utf8.RuneSelf:
			end, ok := skipRune(d.data, j)
			if !ok {
				return nil, false
			}
			buf = append(buf, d.data[j:end]...)
			j = end
		default:
			return nil, false
		}
	}
}

// plainASCII marks the bytes a string holds as they are and that need no
// check: printable ASCII but the quote and the backslash.
var plainASCII = func() (t [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// skipPlain returns the index of the first byte from data[j] on that is not
// plain ASCII, or len(data). It reads eight bytes at a time while it can:
// strings are most of a profile's bytes.
func skipPlain(data []byte, j int) int {
	for len(data)-j >= 8 {
		if m := notPlain(binary.LittleEndian.Uint64(data[j:])); m != 0 {
			return j + bits.TrailingZeros64(m)/8
		}
		j += 8
	}
	for j < len(data) && plainASCII[data[j]] {
		j++
	}
	return j
}

const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// notPlain sets the high bit of the bytes of w that are not plain ASCII:
// not ASCII, a control byte, a quote or a backslash. (x-lowBits)&^x has the
// high bit of x's zero bytes set, and (w-lowBits*' ')&^w that of w's bytes
// under a space. A borrow can also set bits above a byte so found, never
// below: the lowest bit set is always exact, and 0 means all are plain.
func notPlain(w uint64) uint64 {
	quote := w ^ lowBits*'"'
	backslash := w ^ lowBits*'\\'
	return (w | (quote-lowBits)&^quote | (backslash-lowBits)&^backslash | (w-lowBits*' ')&^w) & highBits
}

// skipRune returns the index after the multi-byte UTF-8 sequence at
// data[j], or false if it is invalid (a surrogate, overlong, or cut short).
func skipRune(data []byte, j int) (int, bool) {
	r, size := utf8.DecodeRune(data[j:])
	return j + size, r != utf8.RuneError || size > 1
}

// appendEscape appends the character escaped at data[j] (a backslash) and
// returns the index after the escape. A surrogate is accepted only as the
// first half of an escaped pair: encoding/json turns any other into U+FFFD.
func appendEscape(buf, data []byte, j int) ([]byte, int, bool) {
	if j+1 >= len(data) {
		return nil, 0, false
	}
	switch c := data[j+1]; c {
	case '"', '\\', '/':
		return append(buf, c), j + 2, true
	case 'b':
		return append(buf, '\b'), j + 2, true
	case 'f':
		return append(buf, '\f'), j + 2, true
	case 'n':
		return append(buf, '\n'), j + 2, true
	case 'r':
		return append(buf, '\r'), j + 2, true
	case 't':
		return append(buf, '\t'), j + 2, true
	case 'u':
		r, ok := hex4(data, j+2)
		j += 6
		if ok && utf16.IsSurrogate(r) {
			var low rune
			ok = j+1 < len(data) && data[j] == '\\' && data[j+1] == 'u'
			if ok {
				low, ok = hex4(data, j+2)
				j += 6
			}
			r = utf16.DecodeRune(r, low)
			ok = ok && r != utf8.RuneError
		}
		if !ok {
			return nil, 0, false
		}
		return utf8.AppendRune(buf, r), j, true
	}
	return nil, 0, false
}

// hex4 reads the four hexadecimal digits of a \u escape at data[j].
func hex4(data []byte, j int) (rune, bool) {
	if len(data)-j < 4 {
		return 0, false
	}
	var r rune
	for _, c := range data[j : j+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func (d *decoder) str(dst *string) bool {
	if d.null() {
		return true
	}
	s, ok := d.text()
	*dst = string(s)
	return ok
}

func (d *decoder) boolean(dst *bool) bool {
	switch {
	case d.literal("true"):
		*dst = true
	case d.literal("false"), d.null():
	default:
		return false
	}
	return true
}

// readInt reads an integer into an int or int64 field. encoding/json takes
// only what strconv.ParseInt takes, in range of the field's type: no
// fraction or exponent, even "1.0".
func readInt[T ~int | ~int64](d *decoder, dst *T) bool {
	if d.null() {
		return true
	}
	n, ok := d.integer()
	if v := T(n); ok && int64(v) == n {
		*dst = v
		return true
	}
	return false
}

func (d *decoder) int64(dst *int64) bool { return readInt(d, dst) }

func (d *decoder) date(dst *Date) bool { return readInt(d, dst) }

// integer reads -?(0|[1-9][0-9]*) within range of int64. A fraction or an
// exponent after it is left for the caller, which declines it as an
// unexpected byte.
func (d *decoder) integer() (int64, bool) {
	neg := d.peek() == '-'
	if neg {
		d.i++
	}
	start := d.i
	var u uint64
	for d.i < len(d.data) && isDigit(d.data[d.i]) {
		// Nineteen digits always fit a uint64; a twentieth is out of
		// range of int64 anyway.
		if d.i-start == 19 {
			return 0, false
		}
		u = u*10 + uint64(d.data[d.i]-'0')
		d.i++
	}
	switch n := d.i - start; {
	case n == 0, n > 1 && d.data[start] == '0':
		return 0, false
	case neg && u == 1<<63:
		return math.MinInt64, true
	case u > math.MaxInt64:
		return 0, false
	case neg:
		return -int64(u), true
	}
	return int64(u), true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// number reads a JSON number and keeps its text, as encoding/json does with
// UseNumber.
func (d *decoder) number() (json.Number, bool) {
	start := d.i
	if d.peek() == '-' {
		d.i++
	}
	switch c := d.peek(); {
	case c == '0':
		d.i++
	case '1' <= c && c <= '9':
		d.digits()
	default:
		return "", false
	}
	if d.peek() == '.' {
		d.i++
		if !d.digits() {
			return "", false
		}
	}
	if c := d.peek(); c == 'e' || c == 'E' {
		d.i++
		if c := d.peek(); c == '+' || c == '-' {
			d.i++
		}
		if !d.digits() {
			return "", false
		}
	}
	return json.Number(d.data[start:d.i]), true
}

// digits consumes one or more digits.
func (d *decoder) digits() bool {
	start := d.i
	for d.i < len(d.data) && isDigit(d.data[d.i]) {
		d.i++
	}
	return d.i > start
}

// decodePtr reads a value into a new T, or leaves *dst nil for null.
func decodePtr[T any](d *decoder, dst **T, read func(*T) bool) bool {
	if d.null() {
		return true
	}
	v := new(T)
	*dst = v
	return read(v)
}

// decodeSlice reads an array. An empty array gives an empty slice, not nil,
// as encoding/json gives.
func decodeSlice[T any](d *decoder, dst *[]T, read func(*T) bool) bool {
	if d.null() {
		return true
	}
	s := []T{}
	ok := d.array(func() bool {
		// In place: a local passed to read, a function value, would be
		// moved to the heap.
		var zero T
		s = append(s, zero)
		return read(&s[len(s)-1])
	})
	*dst = s
	return ok
}

// decodeMap reads an object with free-form keys. A repeated key is
// declined, as in a record: Encode never writes one, and one rule for every
// object is easier to check than encoding/json's for each kind of value.
func decodeMap[T any](d *decoder, dst *map[string]T, read func(*T) bool) bool {
	if d.null() {
		return true
	}
	m := map[string]T{}
	*dst = m
	// One value for every member: a local passed to read, a function
	// value, would be moved to the heap each time.
	v := new(T)
	return d.object(func(key []byte) bool {
		if _, dup := m[string(key)]; dup {
			return false
		}
		k := string(key)
		var zero T
		*v = zero
		ok := read(v)
		m[k] = *v
		return ok
	})
}

// anyObject reads an Object as Object.UnmarshalJSON does.
func (d *decoder) anyObject(dst *Object) bool {
	if d.null() {
		return true
	}
	if d.peek() != '{' {
		return false
	}
	m, ok := d.anyMap()
	*dst = m
	return ok
}

// anyValue reads any JSON value as encoding/json decodes it into an any with
// UseNumber.
func (d *decoder) anyValue() (any, bool) {
	switch d.peek() {
	case '{':
		return d.anyMap()
	case '[':
		return d.anyArray()
	case '"':
		s, ok := d.text()
		return string(s), ok
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	case 'n':
		return nil, d.null()
	}
	return d.number()
}

func (d *decoder) anyMap() (map[string]any, bool) {
	m := map[string]any{}
	ok := d.object(func(key []byte) bool {
		if _, dup := m[string(key)]; dup {
			return false
		}
		k := string(key)
		v, ok := d.anyValue()
		m[k] = v
		return ok
	})
	return m, ok
}

func (d *decoder) anyArray() ([]any, bool) {
	a := []any{}
	ok := d.array(func() bool {
		v, ok := d.anyValue()
		a = append(a, v)
		return ok
	})
	return a, ok
}
