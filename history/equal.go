package history

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// Equal reports whether two decoded JSON values are the same JSON value:
// objects with the same keys and equal values, arrays of equal elements in
// order, and numbers equal by value whatever their Go type (json.Number,
// float64, int, int64: 1 and 1.0 are equal, and two integers above 2^53 are
// compared exactly). A boolean never equals a number. Values of any other Go
// type are compared with reflect.DeepEqual.
func Equal(a, b any) bool {
	switch av := a.(type) {
	case nil:
		return b == nil
	case string:
		bv, ok := b.(string)
		return ok && av == bv
	case bool:
		bv, ok := b.(bool)
		return ok && av == bv
	case map[string]any:
		bv, ok := b.(map[string]any)
		return ok && equalObject(av, bv)
	case []any:
		bv, ok := b.([]any)
		return ok && equalArray(av, bv)
	}
	if an, ok := numberText(a); ok {
		bn, ok := numberText(b)
		return ok && numbersEqual(an, bn)
	}
	return reflect.DeepEqual(a, b)
}

func equalObject(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, av := range a {
		bv, ok := b[k]
		if !ok || !Equal(av, bv) {
			return false
		}
	}
	return true
}

func equalArray(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// numberText returns the decimal text of a number of any of the Go types a
// JSON number decodes to, and whether v is such a number.
func numberText(v any) (string, bool) {
	switch n := v.(type) {
	case json.Number:
		return string(n), true
	case float64:
		return strconv.FormatFloat(n, 'g', -1, 64), true
	case float32:
		return strconv.FormatFloat(float64(n), 'g', -1, 32), true
	case int:
		return strconv.Itoa(n), true
	case int64:
		return strconv.FormatInt(n, 10), true
	case int32:
		return strconv.FormatInt(int64(n), 10), true
	case uint:
		return strconv.FormatUint(uint64(n), 10), true
	case uint64:
		return strconv.FormatUint(n, 10), true
	case uint32:
		return strconv.FormatUint(uint64(n), 10), true
	}
	return "", false
}

// numbersEqual compares two decimal texts by value, exactly: no conversion
// to float64, so integers above 2^53 and long decimals keep their identity
// (DESIGN.md: numbers keep their exact value).
func numbersEqual(a, b string) bool {
	if a == b {
		return true
	}
	// Two different texts of canonical integers (no sign but '-', no leading
	// zero, not -0) are two different values: the common case of a changed
	// timestamp needs no parsing.
	if isCanonicalInteger(a) && isCanonicalInteger(b) {
		return false
	}
	an, aok := parseDecimal(a)
	bn, bok := parseDecimal(b)
	if !aok || !bok {
		return false
	}
	return an == bn
}

func isCanonicalInteger(s string) bool {
	digits := strings.TrimPrefix(s, "-")
	if digits == "" || (digits[0] == '0' && len(s) > 1) {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return false
		}
	}
	return true
}

// decimal is a number as 0.digits × 10^exp, digits without leading or
// trailing zeros; zero is the zero decimal whatever its sign.
type decimal struct {
	neg    bool
	digits string
	exp    int64
}

// maxExponent bounds the exponents parseDecimal accepts; beyond it the text
// is compared as is (such numbers are not meaningful data anyway).
const maxExponent = 1 << 40

func parseDecimal(s string) (decimal, bool) {
	var d decimal
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		d.neg = s[i] == '-'
		i++
	}
	intStart := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart := s[intStart:i]
	var frac string
	if i < len(s) && s[i] == '.' {
		i++
		fracStart := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		frac = s[fracStart:i]
	}
	if intPart == "" && frac == "" {
		return d, false
	}
	exp, rest, ok := parseExponent(s[i:])
	if !ok || rest != "" {
		return d, false
	}
	digits := intPart + frac
	exp += int64(len(intPart))
	for digits != "" && digits[0] == '0' {
		digits = digits[1:]
		exp--
	}
	digits = strings.TrimRight(digits, "0")
	if digits == "" {
		return decimal{}, true
	}
	d.digits, d.exp = digits, exp
	return d, true
}

// parseExponent parses an optional e[+-]digits suffix.
func parseExponent(s string) (exp int64, rest string, ok bool) {
	if s == "" || (s[0] != 'e' && s[0] != 'E') {
		return 0, s, true
	}
	s = s[1:]
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	i := 0
	for i < len(s) && isDigit(s[i]) {
		exp = exp*10 + int64(s[i]-'0')
		if exp > maxExponent {
			return 0, s, false
		}
		i++
	}
	if i == 0 {
		return 0, s, false
	}
	if neg {
		exp = -exp
	}
	return exp, s[i:], true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
