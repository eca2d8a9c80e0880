package profile

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// checkFastAccepts asserts that decodeFast takes data and gives what the
// general path gives, lenient and strict, and what json.Unmarshal into a
// plain gives.
func checkFastAccepts(t *testing.T, data []byte) *Profile {
	t.Helper()
	fast := new(Profile)
	if !decodeFast(data, fast) {
		t.Fatalf("decodeFast declined:\n%s", data)
	}
	checkFastResult(t, data, fast)
	return fast
}

// checkFastResult checks a profile decodeFast accepted against the
// encoding/json paths.
func checkFastResult(t *testing.T, data []byte, fast *Profile) {
	t.Helper()
	if depth := jsonDepth(data); depth > MaxDepth {
		t.Fatalf("decodeFast accepted depth %d, over MaxDepth", depth)
	}
	for _, strict := range []bool{false, true} {
		general := new(Profile)
		if err := decodeGeneral(data, strict, general); err != nil {
			t.Fatalf("decodeFast accepted what the general path (strict=%v) refuses: %v", strict, err)
		}
		sameProfile(t, "general path", general, fast)
	}
	old := new(Profile)
	if err := json.Unmarshal(data, (*plain)(old)); err != nil {
		t.Fatalf("decodeFast accepted what json.Unmarshal refuses: %v", err)
	}
	sameProfile(t, "json.Unmarshal", old, fast)
}

func sameProfile(t *testing.T, name string, want, got *Profile) {
	t.Helper()
	// reflect.DeepEqual decides: it tells nil from empty, as callers can.
	if reflect.DeepEqual(want, got) {
		return
	}
	t.Fatalf("decodeFast differs from %s (-want +got):\n%s", name, cmp.Diff(want, got))
}

// TestDecodeFastEveryField is the drift guard: for every field of Profile
// and of every record it holds, a profile with only that field set encodes
// to JSON that decodeFast must accept and decode as encoding/json does. A
// field added to types.go that decodeFast does not know fails here.
func TestDecodeFastEveryField(t *testing.T) {
	cases := fieldValues(t, reflect.TypeFor[Profile](), "")
	if len(cases) < 100 {
		t.Fatalf("only %d cases: the walk over Profile is broken", len(cases))
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			p := c.value.Addr().Interface().(*Profile)
			data, err := Encode(p)
			if err != nil {
				t.Fatal(err)
			}
			fast := checkFastAccepts(t, data)
			if reflect.DeepEqual(fast, new(Profile)) {
				t.Fatalf("decoded to the zero profile:\n%s", data)
			}
		})
	}
}

// TestDecodeFastAllFields: every field set at once, so that two fields
// sharing a slot of a record's seen-set are found.
func TestDecodeFastAllFields(t *testing.T) {
	checkFastAccepts(t, fullProfile(t, testFill))
}

// FuzzDecodeFastEncoded: a profile with every field set to the fuzzed
// string and integer encodes to JSON that decodeFast accepts and decodes as
// encoding/json does, whatever the string holds.
func FuzzDecodeFastEncoded(f *testing.F) {
	f.Add(testFill.str, testFill.num)
	f.Add("", int64(0))
	f.Add("\xff\xed\xa0\x80\x00\u2028\"", int64(math.MinInt64))
	f.Add(strings.Repeat("abcdefgh", 5)+"é", int64(math.MaxInt64))
	f.Fuzz(func(t *testing.T, s string, n int64) {
		checkFastAccepts(t, fullProfile(t, fieldFill{str: s, num: n}))
	})
}

// fullProfile returns the JSON of a profile with every field set.
func fullProfile(t testing.TB, l fieldFill) []byte {
	t.Helper()
	p := fullValue(t, reflect.TypeFor[Profile](), "", l).Addr().Interface().(*Profile)
	data, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type fieldCase struct {
	path  string
	value reflect.Value
}

// fieldFill holds the values put in the string and integer fields; booleans
// are true.
type fieldFill struct {
	str string
	num int64
}

// testFill has a string with every escape Encode writes, multi-byte
// runes and a surrogate pair, and an integer that is a negative midnight, so
// that dates are dates and the sign is read.
var testFill = fieldFill{str: testString, num: -1624579200000}

const testString = "Zoë <&> \u2028\u2029 \"q\" \\ \t\x01 😀"

// testObjects returns the free-form values decodeFast must read. An empty
// Object is omitted by Encode: the accept table has it.
func testObjects() []Object {
	return []Object{
		{"s": testFill.str},
		{"n": json.Number("-12.5e+3"), "z": json.Number("0"), "big": json.Number("123456789012345678901234567890")},
		{"o": map[string]any{"a": []any{true, false, nil, json.Number("1"), "x", map[string]any{}, []any{}}}},
	}
}

// fieldValues returns values of type t that are not zero, each with one
// leaf field set. A struct gives one value per field and value of the
// field; a pointer to a struct also points to the zero struct once.
func fieldValues(t testing.TB, typ reflect.Type, path string) []fieldCase {
	t.Helper()
	if typ == reflect.TypeFor[Object]() {
		var out []fieldCase
		for _, o := range testObjects() {
			out = append(out, fieldCase{path, reflect.ValueOf(o)})
		}
		return out
	}
	switch typ.Kind() {
	case reflect.String, reflect.Int, reflect.Int64, reflect.Bool:
		return []fieldCase{{path, leafValue(t, typ, path, testFill)}}
	case reflect.Pointer:
		var out []fieldCase
		if typ.Elem().Kind() == reflect.Struct {
			out = append(out, fieldCase{path + "={}", reflect.New(typ.Elem())})
		}
		for _, c := range fieldValues(t, typ.Elem(), path) {
			ptr := reflect.New(typ.Elem())
			ptr.Elem().Set(c.value)
			out = append(out, fieldCase{c.path, ptr})
		}
		return out
	case reflect.Slice:
		var out []fieldCase
		for _, c := range fieldValues(t, typ.Elem(), path+"[]") {
			s := reflect.MakeSlice(typ, 1, 1)
			s.Index(0).Set(c.value)
			out = append(out, fieldCase{c.path, s})
		}
		return out
	case reflect.Map:
		var out []fieldCase
		for _, c := range fieldValues(t, typ.Elem(), path+"{}") {
			m := reflect.MakeMap(typ)
			m.SetMapIndex(reflect.ValueOf("k"), c.value)
			out = append(out, fieldCase{c.path, m})
		}
		return out
	case reflect.Struct:
		var out []fieldCase
		for _, f := range taggedFields(typ) {
			for _, c := range fieldValues(t, f.Type, joinPath(path, f.key)) {
				v := reflect.New(typ).Elem()
				v.FieldByIndex(f.Index).Set(c.value)
				out = append(out, fieldCase{c.path, v})
			}
		}
		return out
	}
	t.Fatalf("%s: no test value for %v: teach this test and decodeFast the type", path, typ)
	return nil
}

// fullValue returns a value of type t with every field set: slices have a
// second element, maps a second key, both zero.
func fullValue(t testing.TB, typ reflect.Type, path string, l fieldFill) reflect.Value {
	t.Helper()
	if typ == reflect.TypeFor[Object]() {
		o := Object{"leaf": l.str, "num": json.Number(strconv.FormatInt(l.num, 10)), l.str: []any{l.str}}
		for _, part := range testObjects() {
			for k, v := range part {
				o["part "+k] = v
			}
		}
		return reflect.ValueOf(o)
	}
	switch typ.Kind() {
	case reflect.String, reflect.Int, reflect.Int64, reflect.Bool:
		return leafValue(t, typ, path, l)
	case reflect.Pointer:
		ptr := reflect.New(typ.Elem())
		ptr.Elem().Set(fullValue(t, typ.Elem(), path, l))
		return ptr
	case reflect.Slice:
		s := reflect.MakeSlice(typ, 2, 2)
		s.Index(0).Set(fullValue(t, typ.Elem(), path, l))
		return s
	case reflect.Map:
		m := reflect.MakeMap(typ)
		m.SetMapIndex(reflect.ValueOf("a"+l.str), fullValue(t, typ.Elem(), path, l))
		m.SetMapIndex(reflect.ValueOf("b"+l.str), reflect.Zero(typ.Elem()))
		return m
	case reflect.Struct:
		v := reflect.New(typ).Elem()
		for _, f := range taggedFields(typ) {
			v.FieldByIndex(f.Index).Set(fullValue(t, f.Type, joinPath(path, f.key), l))
		}
		return v
	}
	t.Fatalf("%s: no test value for %v: teach this test and decodeFast the type", path, typ)
	return reflect.Value{}
}

func leafValue(t testing.TB, typ reflect.Type, path string, l fieldFill) reflect.Value {
	t.Helper()
	v := reflect.New(typ).Elem()
	switch typ.Kind() {
	case reflect.String:
		v.SetString(l.str)
	case reflect.Int, reflect.Int64:
		v.SetInt(l.num)
	case reflect.Bool:
		v.SetBool(true)
	default:
		t.Fatalf("%s: no test value for %v", path, typ)
	}
	return v
}

// taggedField is a struct field with its JSON key.
type taggedField struct {
	reflect.StructField
	key string
}

// taggedFields returns a struct's fields that have a JSON key: all but
// Profile.Unknown.
func taggedFields(typ reflect.Type) []taggedField {
	var fields []taggedField
	for f := range typ.Fields() {
		key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if key == "" {
			key = f.Name
		}
		if f.IsExported() && key != "-" {
			fields = append(fields, taggedField{f, key})
		}
	}
	return fields
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// TestDecodeFastTestdata: every seed and normalised profile is taken by the
// fast path; the seed's verbatim legal person, not JSON, is not.
func TestDecodeFastTestdata(t *testing.T) {
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
			if filepath.Base(name) == "legal_person_verbatim.json" {
				if decodeFast(data, new(Profile)) {
					t.Fatal("decodeFast accepted a trailing comma")
				}
				return
			}
			checkFastAccepts(t, data)
		})
	}
}

// fastAccepts are inputs decodeFast must take: what Encode writes and the
// JSON it does not write but reads exactly as encoding/json does.
var fastAccepts = map[string]string{
	"empty":                  `{}`,
	"white space":            " \t\r\n{ \"id\" : \"a\" ,\n\"labels\" : [ \"x\" , \"y\" ] , \"metadata\" : { \"a\" : [ 1 , { } ] } }\n",
	"escapes":                `{"name":"\u003c\u003e\u0026\u2028\u2029 \" \\ \/ \b \f \n \r \t \u0000 \u00e9 \uD83D\uDE00 \ufffd"}`,
	"escape first":           `{"name":"\n"}`,
	"escape last":            `{"name":"abcdefghijklmnop\u00e9"}`,
	"escaped known key":      `{"i\u0064":"a","natural_person":{"n\u0061me":{"first":"J"}}}`,
	"multi-byte text":        `{"name":"Córdoba 😀 \u00e9 Zoë","metadata":{"ключ":"значение"}}`,
	"nulls":                  `{"id":null,"created_at":null,"version":null,"transactional_profile_amount":null,"natural_person":null,"legal_person":null,"declaration":null,"obligated_subject_date":null,"blacklist_found":null,"contacts":null,"labels":null,"employment":null,"consents":null,"metadata":null}`,
	"nulls nested":           `{"natural_person":{"name":null,"birth_date":null,"is_employee":null},"declaration":{"pep":null},"contacts":[null,{"main":null}],"labels":[null,"x"],"blacklist_found":{"pep":null},"consents":{"a":null},"addresses":[{"extra":null}],"metadata":{"a":null,"b":[null]}}`,
	"empty records":          `{"natural_person":{},"legal_person":{},"declaration":{},"employment":{},"contacts":[{}]}`,
	"empty arrays and maps":  `{"contacts":[],"labels":[],"blacklist_found":{},"consents":{},"metadata":{},"checks":[{"matched":[]}],"addresses":[{"extra":{}}]}`,
	"declaration false":      `{"declaration":{"pep":false,"obligated_subject":true,"fatca":false,"oecd":true}}`,
	"integers":               `{"version":-0,"open_cases":9223372036854775807,"created_at":-9223372036854775808,"modified_at":0,"declared_income":-1}`,
	"metadata numbers":       `{"metadata":{"a":0,"b":-0,"c":1.5,"d":-1.25e-10,"e":1E+400,"f":12345678901234567890123,"g":0.0e0,"h":[1e1,2E-2]}}`,
	"metadata kinds":         `{"metadata":{"t":true,"f":false,"n":null,"s":"x","a":[],"o":{},"":"empty key","k\u00e9y":1}}`,
	"list hits and consents": `{"blacklist_found":{"pep":{"hit":true,"confirmed":false},"sanctioned":{}},"consents":{"general":true,"docs":false}}`,
	"deepest allowed":        `{"metadata":{"a":` + strings.Repeat("[", MaxDepth-2) + strings.Repeat("]", MaxDepth-2) + `}}`,
}

func TestDecodeFastAccepts(t *testing.T) {
	for name, in := range fastAccepts {
		t.Run(name, func(t *testing.T) { checkFastAccepts(t, []byte(in)) })
	}
}

// fastDeclines are inputs decodeFast must leave to the encoding/json path,
// which errors or decodes them its own way.
var fastDeclines = map[string]string{
	"unknown key":                 `{"id":"a","zz":1}`,
	"unknown nested key":          `{"natural_person":{"shoe_size":42}}`,
	"unknown key in a list":       `{"contacts":[{"value":"a","zz":1}]}`,
	"unknown key in a list hit":   `{"blacklist_found":{"pep":{"hit":true,"zz":1}}}`,
	"Unknown field name":          `{"Unknown":{}}`,
	"dash key":                    `{"-":1}`,
	"empty key":                   `{"":1}`,
	"key named like no field":     `{"natural_person_name":null}`,
	"case-different key":          `{"Name":"a"}`,
	"case-different nested key":   `{"contacts":[{"Value":"a"}]}`,
	"Kelvin sign folds to k":      "{\"chec\u212as\":[]}",
	"duplicate key":               `{"name":"a","name":"b"}`,
	"duplicate key after null":    `{"name":null,"name":"b"}`,
	"duplicate nested key":        `{"legal_person":{"constitution":"a","constitution":"b"}}`,
	"duplicate key in a list":     `{"checks":[{"matched":["a"],"matched":["b"]}]}`,
	"duplicate metadata key":      `{"metadata":{"a":1,"a":2}}`,
	"duplicate nested metadata":   `{"metadata":{"o":{"a":{"x":1},"a":{"y":2}}}}`,
	"duplicate list hit":          `{"blacklist_found":{"pep":{},"pep":{"hit":true}}}`,
	"duplicate consent":           `{"consents":{"a":true,"a":false}}`,
	"duplicate escaped key":       `{"id":"a","i\u0064":"b"}`,
	"lone high surrogate":         `{"name":"\ud800"}`,
	"lone low surrogate":          `{"name":"\udc00x"}`,
	"high then non-low":           `{"name":"\ud800\u0041"}`,
	"high then high":              `{"name":"\ud800\ud800"}`,
	"high at the end":             `{"name":"\ud83d`,
	"surrogate in a key":          `{"metadata":{"\udfff":1}}`,
	"invalid UTF-8":               "{\"name\":\"a\xffb\"}",
	"invalid UTF-8 after escape":  "{\"name\":\"\\n\xc3\"}",
	"invalid UTF-8 in a key":      "{\"metadata\":{\"\xe9\":1}}",
	"UTF-8 surrogate":             "{\"name\":\"\xed\xa0\x80\"}",
	"overlong UTF-8":              "{\"name\":\"\xc0\xaf\"}",
	"truncated UTF-8":             "{\"name\":\"\xe2\x82\"}",
	"raw tab in a string":         "{\"name\":\"a\tb\"}",
	"raw newline in a key":        "{\"na\nme\":\"a\"}",
	"invalid escape":              `{"name":"\x41"}`,
	"short unicode escape":        `{"name":"\u12G4"}`,
	"escape at the end":           `{"name":"\`,
	"fraction for an int":         `{"version":1.0}`,
	"exponent for an int":         `{"created_at":1e3}`,
	"minus alone":                 `{"version":-}`,
	"leading zero":                `{"version":01}`,
	"plus sign":                   `{"version":+1}`,
	"int64 overflow":              `{"created_at":9223372036854775808}`,
	"int64 underflow":             `{"declared_income":-9223372036854775809}`,
	"twenty digits":               `{"open_cases":10000000000000000000}`,
	"string for an int":           `{"version":"1"}`,
	"number for a string":         `{"name":1}`,
	"string for a bool":           `{"contacts":[{"main":"true"}]}`,
	"number for a pointer bool":   `{"declaration":{"pep":1}}`,
	"object for a list":           `{"labels":{}}`,
	"array for metadata":          `{"metadata":[]}`,
	"string for a record":         `{"natural_person":"x"}`,
	"number in a list of strings": `{"labels":["a",1]}`,
	"number for a consent":        `{"consents":{"a":1}}`,
	"array for a list hit":        `{"blacklist_found":{"pep":[]}}`,
	"object for a name part":      `{"natural_person":{"name":{"first":{}}}}`,
	"metadata leading zero":       `{"metadata":{"n":01}}`,
	"metadata bare fraction":      `{"metadata":{"n":.5}}`,
	"metadata empty fraction":     `{"metadata":{"n":1.}}`,
	"metadata empty exponent":     `{"metadata":{"n":1e}}`,
	"metadata plus":               `{"metadata":{"n":+1}}`,
	"metadata NaN":                `{"metadata":{"n":NaN}}`,
	"literal cut short":           `{"contacts":[{"main":tru}]}`,
	"literal run on":              `{"contacts":[{"main":truex}]}`,
	"null cut short":              `{"name":nul}`,
	"trailing value":              `{"name":"a"} {}`,
	"trailing byte":               `{"name":"a"}x`,
	"trailing comma":              `{"name":"a",}`,
	"trailing comma in a list":    `{"labels":["a",]}`,
	"missing colon":               `{"name" "a"}`,
	"missing comma":               `{"name":"a" "id":"b"}`,
	"unclosed object":             `{"name":"a"`,
	"unclosed list":               `{"labels":["a"`,
	"unclosed string":             `{"name":"a`,
	"single quotes":               `{'name':'a'}`,
	"too deep":                    `{"metadata":{"a":` + strings.Repeat("[", MaxDepth-1) + strings.Repeat("]", MaxDepth-1) + `}}`,
	"array at the top":            `[{"name":"a"}]`,
	"null at the top":             `null`,
	"string at the top":           `"a"`,
	"empty input":                 ``,
	"white space only":            " \n ",
	"byte order mark":             "\xef\xbb\xbf{}",
}

// TestDecodeFastDeclines: decodeFast declines each input, and Decode and
// DecodeStrict answer for it exactly as the encoding/json path does.
func TestDecodeFastDeclines(t *testing.T) {
	for name, in := range fastDeclines {
		t.Run(name, func(t *testing.T) {
			if decodeFast([]byte(in), new(Profile)) {
				t.Fatalf("decodeFast accepted:\n%s", in)
			}
			checkPublicDecode(t, []byte(in))
		})
	}
	t.Run("too large", func(t *testing.T) {
		in := []byte(`{"name":"` + strings.Repeat("a", MaxInputSize) + `"}`)
		if decodeFast(in, new(Profile)) {
			t.Fatal("decodeFast accepted an input over MaxInputSize")
		}
		if _, err := Decode(in); !errors.Is(err, ErrTooLarge) {
			t.Fatalf("Decode = %v, want ErrTooLarge", err)
		}
	})
}

// checkPublicDecode compares Decode and DecodeStrict with the limits and
// the general path on their own, as decodeInto ran before decodeFast.
func checkPublicDecode(t *testing.T, data []byte) {
	t.Helper()
	for _, strict := range []bool{false, true} {
		got, gotErr := decode(data, strict)
		want, wantErr := new(Profile), error(nil)
		switch {
		case jsonDepth(data) > MaxDepth:
			want, wantErr = nil, ErrTooDeep
		default:
			if wantErr = decodeGeneral(data, strict, want); wantErr != nil {
				want = nil
			}
		}
		if errors.Is(wantErr, ErrTooDeep) {
			if !errors.Is(gotErr, ErrTooDeep) {
				t.Fatalf("strict=%v: error %v, want ErrTooDeep", strict, gotErr)
			}
			continue
		}
		if diff := cmp.Diff(errorView(wantErr), errorView(gotErr)); diff != "" {
			t.Fatalf("strict=%v: error (-want +got):\n%s", strict, diff)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("strict=%v: profile (-want +got):\n%s", strict, cmp.Diff(want, got))
		}
	}
}

// TestSkipPlain checks the eight-bytes-at-a-time scan against a byte at a
// time, for every byte value at every place of a window.
func TestSkipPlain(t *testing.T) {
	checkWordScan(t, "skipPlain", &plainASCII, skipPlain)
	for c := range 256 {
		want := c >= ' ' && c < 0x80 && c != '"' && c != '\\'
		if plainASCII[c] != want {
			t.Errorf("plainASCII[%#x] = %v", c, plainASCII[c])
		}
	}
}

// checkWordScan checks scan, which skips the bytes that table admits eight
// at a time, against a byte at a time: every byte value at every place of
// windows of 1 to 24 bytes, from every start before it.
func checkWordScan(t *testing.T, name string, table *[256]bool, scan func(data []byte, from int) int) {
	t.Helper()
	byteAtATime := func(data []byte, j int) int {
		for j < len(data) && table[data[j]] {
			j++
		}
		return j
	}
	for c := range 256 {
		for size := 1; size <= 24; size++ {
			for at := range size {
				data := []byte(strings.Repeat("a", size))
				data[at] = byte(c)
				for from := range at + 1 {
					if want, got := byteAtATime(data, from), scan(data, from); want != got {
						t.Fatalf("byte %#x at %d of %d, from %d: %s = %d, want %d", c, at, size, from, name, got, want)
					}
				}
			}
		}
	}
}

// TestReadIntRange: int64 bounds, and an int field refuses what does not
// fit an int on this platform.
func TestReadIntRange(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true},
		{"-0", 0, true},
		{"9223372036854775807", math.MaxInt64, true},
		{"-9223372036854775808", math.MinInt64, true},
		{"9223372036854775808", 0, false},
		{"-9223372036854775809", 0, false},
		{"99999999999999999999", 0, false},
		{"0123", 0, false},
		{"-", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		d := decoder{data: []byte(tt.in)}
		var got int64
		ok := readInt(&d, &got)
		if ok != tt.ok || got != tt.want {
			t.Errorf("readInt(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
