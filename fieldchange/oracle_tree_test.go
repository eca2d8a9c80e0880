package fieldchange

// The JSON trees the oracle (oracle_test.go) diffs: objects, lists and
// scalars under their JSON keys, built by reflection over the JSON tags,
// and their canonical form that identifies list elements. Check no longer
// builds trees: these are the implementation it replaced, kept as the
// oracle's own.

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/kycsdk/kyc/internal/fieldpath"
)

// oracleTreeOf returns the JSON tree of v: map[string]any for objects, []any for
// lists, and string, bool, int64, uint64, float64 or json.Number for
// scalars. The second result is false when v is absent (nil pointer,
// interface, slice or map, or an empty list or map).
func oracleTreeOf(v reflect.Value) (any, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		return oracleTreeOf(v.Elem())
	case reflect.Struct:
		return oracleStructTree(v), true
	case reflect.Slice, reflect.Array:
		return oracleListTree(v)
	case reflect.Map:
		return oracleMapTree(v)
	}
	return oracleScalarOf(v)
}

func oracleScalarOf(v reflect.Value) (any, bool) {
	switch v.Kind() {
	case reflect.String:
		if v.Type() == oracleNumberType {
			return json.Number(v.String()), true
		}
		return v.String(), true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return v.Uint(), true
	case reflect.Float32, reflect.Float64:
		return v.Float(), true
	}
	// Channels, functions and the like have no JSON form.
	return nil, false
}

func oracleStructTree(v reflect.Value) map[string]any {
	fs := fieldpath.Of(v.Type())
	out := make(map[string]any, len(fs.List))
	for i := range fs.List {
		f := &fs.List[i]
		fv, ok := f.Value(v)
		if !ok || f.Omitted(fv) {
			continue
		}
		if t, ok := oracleTreeOf(fv); ok {
			out[f.Name] = t
		}
	}
	return out
}

func oracleListTree(v reflect.Value) (any, bool) {
	if v.Len() == 0 {
		return nil, false
	}
	out := make([]any, 0, v.Len())
	for i := range v.Len() {
		t, _ := oracleTreeOf(v.Index(i))
		out = append(out, t)
	}
	return out, true
}

func oracleMapTree(v reflect.Value) (any, bool) {
	if v.Len() == 0 || v.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	out := make(map[string]any, v.Len())
	it := v.MapRange()
	for it.Next() {
		if t, ok := oracleTreeOf(it.Value()); ok {
			out[it.Key().String()] = t
		}
	}
	return out, true
}

func oracleCanonical(v any) string {
	var b strings.Builder
	oracleWriteCanonical(&b, v)
	return b.String()
}

// oracleWriteCanonical writes v as JSON with sorted keys, so that equal values
// give equal strings.
func oracleWriteCanonical(b *strings.Builder, v any) {
	switch x := v.(type) {
	case map[string]any:
		oracleWriteObject(b, x, "")
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			oracleWriteCanonical(b, e)
		}
		b.WriteByte(']')
	case string:
		b.WriteString(strconv.Quote(x))
	case json.Number:
		b.WriteString(x.String())
	case nil:
		b.WriteString("null")
	default:
		s, _ := oracleScalarString(x)
		b.WriteString(s)
	}
}

func oracleWriteObject(b *strings.Builder, m map[string]any, skip string) {
	b.WriteByte('{')
	first := true
	for _, k := range oracleSortedKeys(m) {
		if k == skip {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(strconv.Quote(k))
		b.WriteByte(':')
		oracleWriteCanonical(b, m[k])
	}
	b.WriteByte('}')
}

func oracleSortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func oracleScalarString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case uint64:
		return strconv.FormatUint(x, 10), true
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), true
	case fmt.Stringer:
		return x.String(), true
	}
	return "", false
}

// oraclePairLeftovers pairs the unpaired elements of the same group, in order.
func oraclePairLeftovers(old, new []any, group func(any) string, pairOf []int, used []bool) {
	for j, e := range new {
		if pairOf[j] >= 0 {
			continue
		}
		g := group(e)
		for i, o := range old {
			if !used[i] && group(o) == g {
				pairOf[j], used[i] = i, true
				break
			}
		}
	}
}
