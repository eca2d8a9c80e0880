package history

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"
)

// MarshalJSON encodes the list as a JSON array of triples; a nil list is an
// empty array, never null, so that an entry always carries a list.
func (c Changes) MarshalJSON() ([]byte, error) {
	return c.appendJSON(make([]byte, 0, 64*len(c)+2))
}

func (c Changes) appendJSON(buf []byte) ([]byte, error) {
	buf = append(buf, '[')
	for i, ch := range c {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = ch.appendJSON(buf); err != nil {
			return nil, fmt.Errorf("%w (change %d)", err, i)
		}
	}
	return append(buf, ']'), nil
}

// UnmarshalJSON decodes a JSON array of triples, numbers kept exact as
// json.Number. JSON null gives a nil list.
func (c *Changes) UnmarshalJSON(data []byte) error {
	v, err := decodeJSON(data)
	if err != nil {
		return err
	}
	if v == nil {
		*c = nil
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return invalidChange("changes are not a JSON array")
	}
	out := make(Changes, len(list))
	for i, raw := range list {
		if out[i], err = changeFromValue(raw); err != nil {
			return fmt.Errorf("%w (change %d)", err, i)
		}
	}
	*c = out
	return nil
}

// MarshalJSON encodes the change as the seed's triple: ["change", path,
// [old, new]] or ["add"|"remove", path, [[key, value], …]]. The path is ""
// for the root, the bare key for a top-level key, and otherwise a list of
// strings and integers (seed 003, section 3.2).
func (ch Change) MarshalJSON() ([]byte, error) {
	return ch.appendJSON(nil)
}

func (ch Change) appendJSON(buf []byte) ([]byte, error) {
	if ch.Op != OpChange && ch.Op != OpAdd && ch.Op != OpRemove {
		return nil, invalidChange("unknown operation")
	}
	buf = append(buf, '[', '"')
	buf = append(buf, ch.Op...)
	buf = append(buf, '"', ',')
	buf, err := appendPath(buf, ch.Path)
	if err != nil {
		return nil, err
	}
	buf = append(buf, ',')
	if ch.Op == OpChange {
		buf, err = appendValues(buf, ch.Old, ch.New)
	} else {
		buf, err = appendItems(buf, ch.Items)
	}
	if err != nil {
		return nil, err
	}
	return append(buf, ']'), nil
}

// UnmarshalJSON decodes one triple of the seed's format.
func (ch *Change) UnmarshalJSON(data []byte) error {
	v, err := decodeJSON(data)
	if err != nil {
		return err
	}
	if *ch, err = changeFromValue(v); err != nil {
		return err
	}
	return nil
}

func appendPath(buf []byte, p Path) ([]byte, error) {
	if len(p) == 0 {
		return append(buf, '"', '"'), nil
	}
	if key, ok := p[0].(string); ok && len(p) == 1 {
		return appendString(buf, key), nil
	}
	buf = append(buf, '[')
	for i, step := range p {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendStep(buf, step); err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

func appendStep(buf []byte, step any) ([]byte, error) {
	if key, ok := step.(string); ok {
		return appendString(buf, key), nil
	}
	if i, ok := asIndex(step); ok && i >= 0 {
		return strconv.AppendInt(buf, int64(i), 10), nil
	}
	return nil, invalidChange("path element is not a key or an index")
}

func appendValues(buf []byte, old, new any) ([]byte, error) {
	buf = append(buf, '[')
	buf, err := appendValue(buf, old)
	if err != nil {
		return nil, err
	}
	buf = append(buf, ',')
	if buf, err = appendValue(buf, new); err != nil {
		return nil, err
	}
	return append(buf, ']'), nil
}

func appendItems(buf []byte, items []Item) ([]byte, error) {
	buf = append(buf, '[')
	for i, it := range items {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, '[')
		var err error
		if buf, err = appendStep(buf, it.Key); err != nil {
			return nil, err
		}
		buf = append(buf, ',')
		if buf, err = appendValue(buf, it.Value); err != nil {
			return nil, err
		}
		buf = append(buf, ']')
	}
	return append(buf, ']'), nil
}

// appendValue encodes a decoded JSON value: object keys sorted, numbers as
// their exact text, no HTML escaping. Other Go types go through
// encoding/json.
func appendValue(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case bool:
		return strconv.AppendBool(buf, x), nil
	case string:
		return appendString(buf, x), nil
	case json.Number:
		return appendNumber(buf, x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, invalidChange("number is not finite")
		}
		return strconv.AppendFloat(buf, x, 'g', -1, 64), nil
	case int:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(buf, x, 10), nil
	case map[string]any:
		return appendObject(buf, x)
	case []any:
		return appendArray(buf, x)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("history: encode value: %w", err)
	}
	return append(buf, b...), nil
}

// appendNumber writes n as it is, once it is known to be one JSON number
// without surrounding space.
func appendNumber(buf []byte, n json.Number) ([]byte, error) {
	if n == "" || (n[0] != '-' && !isDigit(n[0])) || !isDigit(n[len(n)-1]) || !jsontext.Value(n).IsValid() {
		return nil, invalidChange("invalid number")
	}
	return append(buf, n...), nil
}

func appendObject(buf []byte, m map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	buf = append(buf, '{')
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendString(buf, k)
		buf = append(buf, ':')
		var err error
		if buf, err = appendValue(buf, m[k]); err != nil {
			return nil, err
		}
	}
	return append(buf, '}'), nil
}

func appendArray(buf []byte, a []any) ([]byte, error) {
	buf = append(buf, '[')
	for i, v := range a {
		if i > 0 {
			buf = append(buf, ',')
		}
		var err error
		if buf, err = appendValue(buf, v); err != nil {
			return nil, err
		}
	}
	return append(buf, ']'), nil
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string the way encoding/json does without
// HTML escaping: invalid UTF-8 becomes U+FFFD, U+2028 and U+2029 are escaped.
func appendString(buf []byte, s string) []byte {
	buf = append(buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			buf = appendASCII(buf, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			buf = append(buf, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			buf = append(buf, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			buf = append(buf, s[i:i+size]...)
		}
		i += size
	}
	return append(buf, '"')
}

func appendASCII(buf []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(buf, '\\', c)
	case '\n':
		return append(buf, '\\', 'n')
	case '\r':
		return append(buf, '\\', 'r')
	case '\t':
		return append(buf, '\\', 't')
	}
	if c < 0x20 {
		return append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
	}
	return append(buf, c)
}

// changeFromValue converts one decoded triple into a Change, checking its
// shape. Error texts name the part at fault, never its content.
func changeFromValue(v any) (Change, error) {
	triple, ok := v.([]any)
	if !ok || len(triple) != 3 {
		return Change{}, invalidChange("not an [op, path, values] triple")
	}
	op, _ := triple[0].(string)
	path, err := pathFromValue(triple[1])
	if err != nil {
		return Change{}, err
	}
	ch := Change{Op: Op(op), Path: path}
	switch ch.Op {
	case OpChange:
		pair, ok := triple[2].([]any)
		if !ok || len(pair) != 2 {
			return Change{}, invalidChange("change values are not an [old, new] pair")
		}
		ch.Old, ch.New = pair[0], pair[1]
	case OpAdd, OpRemove:
		if ch.Items, err = itemsFromValue(triple[2]); err != nil {
			return Change{}, err
		}
	default:
		return Change{}, invalidChange("unknown operation")
	}
	return ch, nil
}

func pathFromValue(v any) (Path, error) {
	switch p := v.(type) {
	case string:
		if p == "" {
			return nil, nil
		}
		return Path{p}, nil
	case []any:
		if len(p) == 0 {
			return nil, nil
		}
		out := make(Path, len(p))
		for i, raw := range p {
			step, err := stepFromValue(raw)
			if err != nil {
				return nil, err
			}
			out[i] = step
		}
		return out, nil
	}
	return nil, invalidChange("path is neither a string nor a list")
}

// stepFromValue accepts a key (string) or an index (a non-negative integer
// written without fraction or exponent).
func stepFromValue(v any) (any, error) {
	switch s := v.(type) {
	case string:
		return s, nil
	case json.Number:
		if !isCanonicalInteger(string(s)) || s[0] == '-' {
			break
		}
		i, err := strconv.Atoi(string(s))
		if err != nil {
			break
		}
		return i, nil
	}
	return nil, invalidChange("path element is not a key or an index")
}

func itemsFromValue(v any) ([]Item, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, invalidChange("add or remove values are not a list")
	}
	items := make([]Item, len(list))
	for i, raw := range list {
		pair, ok := raw.([]any)
		if !ok || len(pair) != 2 {
			return nil, invalidChange("add or remove item is not a [key, value] pair")
		}
		key, err := stepFromValue(pair[0])
		if err != nil {
			return nil, err
		}
		items[i] = Item{Key: key, Value: pair[1]}
	}
	return items, nil
}
