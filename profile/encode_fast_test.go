package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// marshalBefore is Profile.MarshalJSON as it was before encodeFast, kept
// here as the reference the fast encoder must match byte for byte:
// json.Marshal of a plain, then the unknown keys.
func marshalBefore(p *Profile) ([]byte, error) {
	base, err := json.Marshal((*plain)(p))
	if err != nil {
		return nil, err
	}
	if len(p.Unknown) == 0 {
		return base, nil
	}
	keys := make([]string, 0, len(p.Unknown))
	for k := range p.Unknown {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := bytes.NewBuffer(make([]byte, 0, len(base)+64*len(keys)))
	out.Write(base[:len(base)-1])
	empty := len(base) == 2
	for _, k := range keys {
		raw := p.Unknown[k]
		if knownKeys()[k] || !json.Valid(raw) {
			return nil, fmt.Errorf("%w: %q", ErrUnknownValue, shortKey(k))
		}
		if !empty {
			out.WriteByte(',')
		}
		empty = false
		key, _ := json.Marshal(k)
		out.Write(key)
		out.WriteByte(':')
		if err := json.Compact(out, raw); err != nil {
			return nil, fmt.Errorf("%w: %q", ErrUnknownValue, shortKey(k))
		}
	}
	out.WriteByte('}')
	return out.Bytes(), nil
}

// checkEncode asserts that Encode writes exactly what marshalBefore writes,
// and fails exactly when it fails: with the same error for an unknown key,
// and with an ErrInvalid problem for an Object that is not JSON.
func checkEncode(t *testing.T, p *Profile) []byte {
	t.Helper()
	want, wantErr := marshalBefore(p)
	got, err := Encode(p)
	switch {
	case wantErr == nil && err != nil:
		t.Fatalf("Encode = %v; encoding/json writes:\n%s", err, want)
	case wantErr != nil && err == nil:
		t.Fatalf("Encode wrote what encoding/json refuses (%v):\n%s", wantErr, got)
	case errors.Is(wantErr, ErrUnknownValue):
		if err.Error() != wantErr.Error() {
			t.Fatalf("Encode = %v, want %v", err, wantErr)
		}
	case wantErr != nil:
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Problems) != 1 || ve.Problems[0].Code != CodeMetadataNotJSON {
			t.Fatalf("Encode = %v, want one %s problem (encoding/json: %v)", err, CodeMetadataNotJSON, wantErr)
		}
	}
	if !bytes.Equal(want, got) {
		t.Fatalf("Encode differs from encoding/json (-want +got):\n%s", cmp.Diff(string(want), string(got)))
	}
	// The pooled scratch buffer must not be shared with the result.
	if again, _ := Encode(p); !bytes.Equal(got, again) {
		t.Fatalf("a second Encode changed the first result:\n%s\n%s", got, again)
	}
	return got
}

// TestEncodeFastEveryField is the drift guard: for every field of Profile
// and of every record it holds, a profile with only that field set encodes
// as encoding/json encodes it. A field added to types.go that encodeFast
// does not write fails here, whatever its omitempty.
func TestEncodeFastEveryField(t *testing.T) {
	cases := fieldValues(t, reflect.TypeFor[Profile](), "")
	if len(cases) < 100 {
		t.Fatalf("only %d cases: the walk over Profile is broken", len(cases))
	}
	empty := checkEncode(t, new(Profile))
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			got := checkEncode(t, c.value.Addr().Interface().(*Profile))
			if bytes.Equal(got, empty) {
				t.Fatalf("the field is not written: %s", got)
			}
		})
	}
}

func TestEncodeFastAllFields(t *testing.T) {
	p := fullValue(t, reflect.TypeFor[Profile](), "", testFill).Addr().Interface().(*Profile)
	checkEncode(t, p)
	p.Unknown = map[string]json.RawMessage{"zz": json.RawMessage(" [1, {\"a\" : \"<\u2028>\"}] "), "aa": json.RawMessage(`null`)}
	checkEncode(t, p)
}

// TestEncodeFastTestdata: every seed and normalised profile encodes as
// encoding/json encodes it.
func TestEncodeFastTestdata(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	if err != nil || len(files) < 10 {
		t.Fatalf("testdata: %d files, %v", len(files), err)
	}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Decode(data)
			if filepath.Base(name) == "legal_person_verbatim.json" {
				if err == nil {
					t.Fatal("the verbatim seed example decoded")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkEncode(t, p)
		})
	}
	checkEncode(t, storedProfile())
}

// textValue implements encoding.TextMarshaler, rawValue json.Marshaler:
// both reach json.Marshal through the fallback.
type textValue string

func (v textValue) MarshalText() ([]byte, error) {
	if v == "fail" {
		return nil, errors.New("refused")
	}
	return []byte(v), nil
}

type rawValue string

func (v rawValue) MarshalJSON() ([]byte, error) {
	if v == "fail" {
		return nil, errors.New("refused")
	}
	return []byte(v), nil
}

type pointerMarshaler struct{ A string }

func (*pointerMarshaler) MarshalJSON() ([]byte, error) { return []byte(`"pointer"`), nil }

func nestedArrays(n int, leaf any) any {
	v := leaf
	for range n {
		v = []any{v}
	}
	return v
}

func nestedMaps(n int, leaf any) any {
	v := leaf
	for range n {
		v = map[string]any{"k": v}
	}
	return v
}

// nastyStrings are strings each escape rule of encoding/json meets.
var nastyStrings = []string{
	"",
	"plain ascii longer than eight bytes",
	`<script>alert("x & y")</script>`,
	"\u2028\u2029 line and paragraph separators \u2027\u202a",
	"\x00\x01\x07\x08\x09\x0a\x0b\x0c\x0d\x1b\x1f\x7f",
	"\\ \" / \\\" \\u0041",
	"invalid \xff \xfe \xc0\xaf \xe2\x82 \xe2\x80 \xe2\x80\xa8 \xed\xa0\x80 \xed\xbf\xbf \xf4\x90\x80\x80",
	"\ufffd is U+FFFD itself, \U0010ffff the last rune",
	"ünïcödé, ключ, 鍵, 😀, e\u0301",
	"\xe2",
	"abcdefg\xe2\x80\xa8",
	"abcdefgh<",
	"abcdefghijklmno&",
	"1234567\x80",
}

// floatValues sit at and around encoding/json's switches between 'f' and
// 'e' and at the ends of the float range.
var floatValues = []float64{
	0, math.Copysign(0, -1), 1, -1, 0.1, 0.1 + 0.2, 1.5, 123456789,
	1e-7, 1e-6, 9.999999999999999e-7, 1.0000000000000002e-6, -1e-7, 1.5e-7, 1e-10, 1.234e-100,
	1e20, 1e21, 999999999999999900000, 1.0000000000000001e21, -1e21, 1e22, 1.5e300,
	5e-324, -5e-324, 2.2250738585072014e-308, math.MaxFloat64, -math.MaxFloat64,
	math.MaxInt64, math.MinInt64, 1 << 53, 1<<53 + 1,
	math.SmallestNonzeroFloat32, math.MaxFloat32, 1e-45, 3.4028235e38,
	float64(float32(1e-6)), float64(float32(1e21)), float64(math.Nextafter32(1e-6, 0)), float64(math.Nextafter32(1e21, 0)),
}

// encodeValues are Object values of every kind, each with whether
// encoding/json refuses it. The decoder's kinds come first, then the
// numbers and nested maps a program puts in an Object, then what goes to
// the fallback.
func encodeValues() map[string]any {
	cycleMap := map[string]any{}
	cycleMap["self"] = cycleMap
	cycleSlice := make([]any, 1)
	cycleSlice[0] = cycleSlice
	deepCycle := map[string]any{}
	deepCycle["a"] = nestedMaps(MaxDepth+10, deepCycle)
	n := 42
	values := map[string]any{
		"nil":              nil,
		"true":             true,
		"false":            false,
		"number":           json.Number("-12.5e+3"),
		"number zero":      json.Number("0"),
		"number empty":     json.Number(""),
		"number big":       json.Number("123456789012345678901234567890"),
		"number E":         json.Number("1E5"),
		"number bad":       json.Number("01"),
		"number dot":       json.Number("1."),
		"number bare dot":  json.Number(".5"),
		"number plus":      json.Number("+1"),
		"number e":         json.Number("1e"),
		"number e+":        json.Number("1e+"),
		"number minus":     json.Number("-"),
		"number NaN":       json.Number("NaN"),
		"number space":     json.Number(" 1"),
		"number hex":       json.Number("0x10"),
		"map":              map[string]any{"b": 1.0, "a": []any{}, "": "empty key"},
		"map nil":          map[string]any(nil),
		"map empty":        map[string]any{},
		"object":           Object{"z": Object{"y": nil}},
		"object nil":       Object(nil),
		"array":            []any{1.0, "x", nil, []any{map[string]any{}}},
		"array nil":        []any(nil),
		"array empty":      []any{},
		"int":              math.MinInt,
		"int8":             int8(-128),
		"int16":            int16(math.MaxInt16),
		"int32":            int32(math.MinInt32),
		"int64":            int64(math.MaxInt64),
		"uint":             uint(math.MaxUint),
		"uint8":            uint8(255),
		"uint16":           uint16(65535),
		"uint32":           uint32(math.MaxUint32),
		"uint64":           uint64(math.MaxUint64),
		"NaN":              math.NaN(),
		"+Inf":             math.Inf(1),
		"-Inf":             math.Inf(-1),
		"float32 NaN":      float32(math.NaN()),
		"float32 Inf":      float32(math.Inf(-1)),
		"raw":              json.RawMessage(" {\r\n\t\"a\" : [ 1 , \"<>&\u2028\u2029 \\\" \\u2028\" ] , \"\xe2\x80\xa9\" : \"\xff\" } "),
		"raw nil":          json.RawMessage(nil),
		"raw empty":        json.RawMessage{},
		"raw invalid":      json.RawMessage(`{"a":}`),
		"raw two values":   json.RawMessage(`1 2`),
		"raw escaped":      json.RawMessage(`"\u003c\/"`),
		"raw too deep":     json.RawMessage(strings.Repeat("[", 10001) + strings.Repeat("]", 10001)),
		"raw deep":         json.RawMessage(strings.Repeat("[", 1000) + strings.Repeat("]", 1000)),
		"nested arrays":    nestedArrays(3*MaxDepth, "leaf"),
		"nested maps":      nestedMaps(3*MaxDepth, math.Inf(1)),
		"nested maps ok":   nestedMaps(3*MaxDepth, json.Number("1")),
		"cycle map":        cycleMap,
		"cycle slice":      cycleSlice,
		"deep cycle":       deepCycle,
		"struct":           struct{ A, b string }{"<a>", "hidden"},
		"struct pointer":   &struct{ A float64 }{1e21},
		"pointer":          &n,
		"nil pointer":      (*int)(nil),
		"strings":          []string{"a", "<"},
		"bytes":            []byte("bytes \xff"),
		"map of ints":      map[string]int{"b": 2, "a": 1},
		"int keys":         map[int]string{10: "a", 9: "b"},
		"time":             time.Date(2024, 2, 29, 12, 0, 0, 5, time.UTC),
		"text marshaler":   textValue("<text>"),
		"text fails":       textValue("fail"),
		"json marshaler":   rawValue(" [ \"<\" ] "),
		"marshaler bad":    rawValue("{"),
		"marshaler fails":  rawValue("fail"),
		"pointer receiver": pointerMarshaler{"x"},
		"channel":          make(chan int),
		"func":             func() {},
		"complex":          complex(1, 2),
		"array of NaN":     []any{1.0, math.NaN()},
		"map of channel":   map[string]any{"c": make(chan int)},
		"strings as any":   []any{"a", []string{"b"}},
		"float32 slice":    []float32{1e-7, 1e21},
	}
	for i, s := range nastyStrings {
		values["string "+strconv.Itoa(i)] = s
		values["key "+strconv.Itoa(i)] = map[string]any{s: s, s + "2": 1.0}
	}
	for _, f := range floatValues {
		values["float64 "+strconv.FormatFloat(f, 'g', -1, 64)] = f
		values["float64 neg "+strconv.FormatFloat(f, 'g', -1, 64)] = -f
		values["float32 "+strconv.FormatFloat(f, 'g', -1, 64)] = float32(f)
	}
	return values
}

// TestEncodeFastValues: every kind of Object value, in metadata and in the
// extra of an address and of a relation, alone and all together.
func TestEncodeFastValues(t *testing.T) {
	values := encodeValues()
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			checkEncode(t, &Profile{Metadata: Object{name: v}})
			checkEncode(t, &Profile{Addresses: []Address{{}, {Extra: Object{"v": v}}}})
			checkEncode(t, &Profile{Relations: []Relation{{Extra: Object{"v": []any{v}}}}})
		})
	}
	t.Run("all that encode", func(t *testing.T) {
		all := Object{}
		for name, v := range values {
			if _, err := json.Marshal(v); err == nil {
				all[name] = v
			}
		}
		if len(all) < 150 {
			t.Fatalf("only %d values encode", len(all))
		}
		checkEncode(t, &Profile{Name: "a", Metadata: all})
	})
}

// TestEncodeFastStrings: every field kind of string with each nasty
// string, and as a key of every map.
func TestEncodeFastStrings(t *testing.T) {
	for i, s := range nastyStrings {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			p := fullValue(t, reflect.TypeFor[Profile](), "", fieldFill{str: s, num: int64(i)}).Addr().Interface().(*Profile)
			p.Unknown = map[string]json.RawMessage{"x" + s: json.RawMessage(`"` + s + `"`)}
			checkEncode(t, p)
			p.Unknown = nil
			checkEncode(t, p)
		})
	}
	// Every single byte and every rune around the escapes, alone and
	// after eight plain bytes, so that both scans meet it.
	for c := range 256 {
		checkEncode(t, &Profile{Name: string(rune(c)), ID: string([]byte{byte(c)}), Risk: "abcdefgh" + string([]byte{byte(c)}) + "ijklmnopq"})
	}
	for r := rune(0x2000); r < 0x2100; r++ {
		checkEncode(t, &Profile{Name: string(r), Risk: "abcdefgh" + string(r)})
	}
}

// TestEncodeFastErrors: what encoding/json refuses in an Object is an
// ErrInvalid problem at the Object's path that names neither the value nor
// its key; an unknown key keeps its ErrUnknownValue.
func TestEncodeFastErrors(t *testing.T) {
	const secret = "CANARY"
	tests := []struct {
		name     string
		profile  *Profile
		wantPath string
		wantErr  error
	}{
		{"NaN in metadata", &Profile{Metadata: Object{secret: math.NaN()}}, "metadata", ErrInvalid},
		{"bad number", &Profile{Metadata: Object{"a": json.Number(secret)}}, "metadata", ErrInvalid},
		{"bad raw", &Profile{Metadata: Object{"a": json.RawMessage(`{"` + secret + `"`)}}, "metadata", ErrInvalid},
		{"marshaler error", &Profile{Metadata: Object{"a": []any{textValue("fail")}}}, "metadata", ErrInvalid},
		{"marshaler output", &Profile{Metadata: Object{"a": rawValue(`"` + secret)}}, "metadata", ErrInvalid},
		{"channel", &Profile{Metadata: Object{secret: map[string]any{"c": make(chan int)}}}, "metadata", ErrInvalid},
		{"cycle", &Profile{Metadata: encodeValues()["cycle map"].(map[string]any)}, "metadata", ErrInvalid},
		{"address extra", &Profile{Addresses: []Address{{}, {}, {Extra: Object{"a": math.Inf(1)}}}}, "addresses[2].extra", ErrInvalid},
		{"relation extra", &Profile{Relations: []Relation{{Extra: Object{"a": float32(math.NaN())}}}}, "relations[0].extra", ErrInvalid},
		{"first in field order", &Profile{Addresses: []Address{{Extra: Object{"a": math.NaN()}}}, Metadata: Object{"a": math.NaN()}}, "addresses[0].extra", ErrInvalid},
		{"unknown not JSON", &Profile{Unknown: map[string]json.RawMessage{"x": json.RawMessage(secret)}}, "", ErrUnknownValue},
		{"unknown known key", &Profile{Unknown: map[string]json.RawMessage{"name": json.RawMessage(`1`)}}, "", ErrUnknownValue},
		{"metadata before unknown", &Profile{Metadata: Object{"a": math.NaN()}, Unknown: map[string]json.RawMessage{"x": nil}}, "metadata", ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkEncode(t, tt.profile)
			out, err := tt.profile.MarshalJSON()
			if out != nil || !errors.Is(err, tt.wantErr) {
				t.Fatalf("MarshalJSON = %q, %v; want %v", out, err, tt.wantErr)
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("the error quotes the value: %v", err)
			}
			var ve *ValidationError
			if errors.As(err, &ve) && ve.Problems[0].Path != tt.wantPath {
				t.Errorf("path = %q, want %q", ve.Problems[0].Path, tt.wantPath)
			}
		})
	}
}

// encodeFill holds what FuzzEncodeFast puts in every field of a profile.
type encodeFill struct {
	str   string
	num   int64
	flag  bool
	float float64
	// kinds picks the Object values and profile shapes of fillKinds.
	kinds uint16
}

// The kinds of value a fuzzed profile holds beyond the plain ones, most of
// them values encoding/json may refuse: each is in the profile when its bit
// is set, so that the fuzzer reaches every mix.
const (
	kindNumberText    = 1 << iota // json.Number(str)
	kindRawText                   // json.RawMessage(str)
	kindFallback                  // a struct, pointers, []string, []byte, marshalers
	kindMarshalerText             // a json.Marshaler writing str
	kindUnsupported               // a channel
	kindCycle                     // a map holding itself
	kindDeep                      // arrays and maps nested past MaxDepth
	kindUnknown                   // Unknown keys: str as a key and as raw JSON
	kindNilPointers               // pointer fields left nil
	kindFloatText                 // json.Number of the float's text
)

// fuzzObject returns an Object with a value of every supported kind, made
// of the fill's string, integer, float and boolean.
func fuzzObject(l encodeFill) Object {
	s, n, f := l.str, l.num, l.float
	o := Object{
		"s": s, s: s, "<" + s: []any{s, f, n, l.flag, nil},
		"b": l.flag, "nil": nil,
		"f64": f, "f32": float32(f), "-f64": -f, "f64 x 1e-10": f * 1e-10, "f64 x 1e20": f * 1e20,
		"int": int(n), "i8": int8(n), "i16": int16(n), "i32": int32(n), "i64": n,
		"uint": uint(n), "u8": uint8(n), "u16": uint16(n), "u32": uint32(n), "u64": uint64(n),
		"number":  json.Number(strconv.FormatInt(n, 10)),
		"float n": json.Number(strconv.FormatFloat(f, 'e', -1, 64)),
		"map":     map[string]any{s: n, "x" + s: map[string]any{s: []any{}}},
		"object":  Object{s: Object{}},
		"arrays":  []any{[]any{}, []any(nil), map[string]any(nil), Object(nil), json.RawMessage(nil)},
	}
	key, _ := json.Marshal(s)
	o["raw"] = json.RawMessage(`{` + string(key) + ` : [` + strconv.FormatInt(n, 10) + `, "<&>"]}`)
	if l.kinds&kindNumberText != 0 {
		o["number text"] = json.Number(s)
	}
	if l.kinds&kindRawText != 0 {
		o["raw text"] = json.RawMessage(s)
	}
	if l.kinds&kindFallback != 0 {
		o["struct"] = struct {
			S string
			F float64 `json:",omitempty"`
			P *int64
		}{s, f, &n}
		o["pointer"] = &f
		o["nil pointer"] = (*string)(nil)
		o["strings"] = []string{s, s}
		o["bytes"] = []byte(s)
		o["text"] = textValue(s)
		o["map of ints"] = map[string]int64{s: n, "": -n}
	}
	if l.kinds&kindMarshalerText != 0 {
		o["marshaler"] = rawValue(s)
	}
	if l.kinds&kindUnsupported != 0 {
		o["channel"] = make(chan string)
	}
	if l.kinds&kindCycle != 0 {
		m := map[string]any{"s": s}
		m["self"] = []any{m}
		o["cycle"] = m
	}
	if l.kinds&kindDeep != 0 {
		o["deep arrays"] = nestedArrays(MaxDepth+int(uint8(n)), f)
		o["deep maps"] = nestedMaps(MaxDepth+int(uint8(n)), s)
	}
	if l.kinds&kindFloatText != 0 {
		o["float text"] = json.Number(strconv.FormatFloat(f, 'g', -1, 64))
	}
	return o
}

// fuzzValue returns a value of type typ with every field set from the
// fill, as fullValue does, booleans and Objects included.
func fuzzValue(t testing.TB, typ reflect.Type, l encodeFill) reflect.Value {
	t.Helper()
	if typ == reflect.TypeFor[Object]() {
		return reflect.ValueOf(fuzzObject(l))
	}
	v := reflect.New(typ).Elem()
	switch typ.Kind() {
	case reflect.String:
		v.SetString(l.str)
	case reflect.Int, reflect.Int64:
		v.SetInt(l.num)
	case reflect.Bool:
		v.SetBool(l.flag)
	case reflect.Pointer:
		if l.kinds&kindNilPointers == 0 {
			v.Set(reflect.New(typ.Elem()))
			v.Elem().Set(fuzzValue(t, typ.Elem(), l))
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(typ, 2, 2))
		v.Index(0).Set(fuzzValue(t, typ.Elem(), l))
	case reflect.Map:
		v.Set(reflect.MakeMap(typ))
		v.SetMapIndex(reflect.ValueOf(l.str), fuzzValue(t, typ.Elem(), l))
		v.SetMapIndex(reflect.ValueOf("b"+l.str), reflect.Zero(typ.Elem()))
	case reflect.Struct:
		for _, f := range taggedFields(typ) {
			v.FieldByIndex(f.Index).Set(fuzzValue(t, f.Type, l))
		}
	default:
		t.Fatalf("no fuzz value for %v: teach this test and encodeFast the type", typ)
	}
	return v
}

func fuzzProfile(t testing.TB, l encodeFill) *Profile {
	t.Helper()
	p := fuzzValue(t, reflect.TypeFor[Profile](), l).Addr().Interface().(*Profile)
	if l.kinds&kindUnknown != 0 {
		p.Unknown = map[string]json.RawMessage{
			l.str:        json.RawMessage(l.str),
			"zz" + l.str: json.RawMessage("\t[ 1 ,\r\n{\"a\" : \"<\u2028>\"} ] "),
		}
	}
	return p
}

// FuzzEncodeFast: a profile with every field set from the fuzzed values,
// and Object values of every kind, encodes exactly as encoding/json
// encodes it, and fails exactly when it fails.
func FuzzEncodeFast(f *testing.F) {
	f.Add(testString, int64(-1624579200000), true, 1.5, uint16(0))
	f.Add("", int64(0), false, 0.0, uint16(0))
	for _, s := range nastyStrings {
		f.Add(s, int64(math.MinInt64), true, math.Copysign(0, -1), uint16(kindUnknown|kindFallback))
	}
	for i, x := range floatValues {
		f.Add(`{"a":[1, "<"]}`, int64(i), i%2 == 0, x, uint16(1)<<(i%10))
	}
	f.Add("1e-7", int64(math.MaxInt64), true, 1e-7, uint16(kindNumberText|kindRawText|kindFloatText))
	f.Add(" \"\u2028\" ", int64(-1), false, 1e21, uint16(kindRawText|kindMarshalerText))
	f.Add("x", int64(3), true, math.NaN(), uint16(0))
	f.Add("x", int64(3), true, math.Inf(-1), uint16(0))
	f.Add("name", int64(7), true, 2.5, uint16(kindUnknown))
	f.Add("x", int64(200), true, 2.5, uint16(kindDeep|kindCycle))
	f.Add("x", int64(1), true, 2.5, uint16(kindUnsupported))
	f.Add("x", int64(1), true, 2.5, uint16(kindNilPointers))
	f.Fuzz(func(t *testing.T, s string, n int64, flag bool, x float64, kinds uint16) {
		checkEncode(t, fuzzProfile(t, encodeFill{str: s, num: n, flag: flag, float: x, kinds: kinds}))
	})
}

// TestSkipHTMLSafe checks the eight-bytes-at-a-time scan against a byte at
// a time, for every byte value at every place of a window.
func TestSkipHTMLSafe(t *testing.T) {
	checkWordScan(t, "skipHTMLSafe", &htmlSafe, func(data []byte, from int) int { return skipHTMLSafe(string(data), from) })
	for c := range 256 {
		want := c >= ' ' && c < 0x80 && !strings.ContainsRune(`"\<>&`, rune(c))
		if htmlSafe[c] != want {
			t.Errorf("htmlSafe[%#x] = %v", c, htmlSafe[c])
		}
	}
}

// TestEncodeFastAllocs: writing the stored profile allocates nothing but
// its buffer; Encode adds the copy it returns.
func TestEncodeFastAllocs(t *testing.T) {
	p := storedProfile()
	buf := make([]byte, 0, 4096)
	allocs := testing.AllocsPerRun(100, func() {
		var err error
		if buf, err = appendProfile(buf[:0], p); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("appendProfile allocates %v times, want 0", allocs)
	}
}
