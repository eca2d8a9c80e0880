package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"
)

// checkCodec asserts that Encode writes the JSON value encoding/json writes
// for the same fields, that Decode reads it back to p, and that
// encoding/json reads Encode's output to the same profile: the codec keeps
// the meaning of the JSON profiles had before it, key order aside.
func checkCodec(t *testing.T, p *Profile) []byte {
	t.Helper()
	got, err := Encode(p)
	if err != nil {
		t.Fatalf("Encode: %v", err)
	}
	want, err := json.Marshal((*wire)(p))
	if err != nil {
		t.Fatalf("encoding/json: %v", err)
	}
	if diff := cmp.Diff(jsonAny(t, want), jsonAny(t, got)); diff != "" {
		t.Fatalf("Encode differs from encoding/json as a JSON value (-want +got):\n%s", diff)
	}
	back, err := Decode(got)
	if err != nil {
		t.Fatalf("Decode of Encode's output: %v\n%s", err, got)
	}
	if diff := cmp.Diff(p, back); diff != "" {
		t.Fatalf("Decode(Encode(p)) (-want +got):\n%s", diff)
	}
	var v1 wire
	if err := json.Unmarshal(got, &v1); err != nil {
		t.Fatalf("encoding/json cannot read Encode's output: %v", err)
	}
	if diff := cmp.Diff(p, (*Profile)(&v1)); diff != "" {
		t.Fatalf("encoding/json reads Encode's output differently (-want +got):\n%s", diff)
	}
	return got
}

// TestCodecEveryField is the drift guard: for every field of Profile and of
// every record it holds, a profile with only that field set is written,
// and read back, as encoding/json writes and reads it.
func TestCodecEveryField(t *testing.T) {
	cases := fieldValues(t, reflect.TypeFor[Profile](), "")
	if len(cases) < 100 {
		t.Fatalf("only %d cases: the walk over Profile is broken", len(cases))
	}
	empty := checkCodec(t, new(Profile))
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			got := checkCodec(t, c.value.Addr().Interface().(*Profile))
			if bytes.Equal(got, empty) {
				t.Fatalf("the field is not written: %s", got)
			}
		})
	}
}

func TestCodecAllFields(t *testing.T) {
	p := fullValue(t, reflect.TypeFor[Profile](), "", testFill).Addr().Interface().(*Profile)
	checkCodec(t, p)
}

// TestEncodeKeyOrder: the top-level keys come out in the order of seed
// 003's examples (3.1.1.1, 3.1.1.2), the id last, then the unknown keys.
func TestEncodeKeyOrder(t *testing.T) {
	p := storedProfile()
	p.Unknown = map[string]json.RawMessage{"zz": json.RawMessage(`1`), "aa": json.RawMessage(`2`)}
	data, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"created_at", "modified_at", "created_by", "modified_by", "name", "tax_payer_id",
		"person_type", "natural_person", "version", "state",
		"risk", "declared_income", "contacts", "addresses", "labels", "id", "aa", "zz",
	}
	if diff := cmp.Diff(want, topKeys(t, data)); diff != "" {
		t.Errorf("key order (-want +got):\n%s", diff)
	}
}

// topKeys lists the top-level keys of a JSON object in document order.
func topKeys(t testing.TB, data []byte) []string {
	t.Helper()
	var keys []string
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// TestDecodeDuplicateKeys: a key repeated in any object, at any depth and
// however many keys the object has, is a syntax error naming its path.
func TestDecodeDuplicateKeys(t *testing.T) {
	var many strings.Builder
	many.WriteString(`{"metadata":{`)
	for i := range 100 {
		fmt.Fprintf(&many, `"k%d":%d,`, i, i)
	}
	many.WriteString(`"k70":0}}`)
	tests := []struct {
		name, in, path string
	}{
		{"top level", `{"name":"a","name":"b"}`, "name"},
		{"after null", `{"name":null,"name":"b"}`, "name"},
		{"nested record", `{"legal_person":{"constitution":"a","constitution":"b"}}`, "legal_person.constitution"},
		{"in a list", `{"checks":[{"matched":["a"],"matched":["b"]}]}`, "checks[0].matched"},
		{"metadata", `{"metadata":{"a":1,"a":2}}`, "metadata.a"},
		{"nested metadata", `{"metadata":{"o":{"a":{"x":1},"a":{"y":2}}}}`, "metadata.o.a"},
		{"list hit", `{"blacklist_found":{"pep":{},"pep":{"hit":true}}}`, "blacklist_found.pep"},
		{"consent", `{"consents":{"a":true,"a":false}}`, "consents.a"},
		{"unknown key", `{"zz":1,"zz":2}`, "zz"},
		{"past 64 keys", many.String(), "metadata.k70"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, strict := range []bool{false, true} {
				_, err := decode([]byte(tt.in), strict)
				if strict && tt.path == "zz" && errors.Is(err, ErrUnknownField) {
					// Refused all the same: under GOEXPERIMENT=jsonv2 the
					// strict decode refuses the unknown key before it
					// sees it repeated.
					continue
				}
				var se *SyntaxError
				if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) {
					t.Fatalf("decode (strict %v) = %v, want a *SyntaxError", strict, err)
				}
				if diff := cmp.Diff([2]string{"duplicate key", tt.path}, [2]string{se.Reason, se.Path}); diff != "" {
					t.Errorf("reason, path (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestDecodeCaseSensitive: a key differing from a field's in case only is
// an unknown key, kept leniently and refused strictly, at any depth.
func TestDecodeCaseSensitive(t *testing.T) {
	p, err := Decode([]byte(`{"Name":"a","natural_person":{"NAME":{"first":"x"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "" || p.NaturalPerson.Name.First != "" {
		t.Errorf("a case-folded key set a field: %q, %q", p.Name, p.NaturalPerson.Name.First)
	}
	if diff := cmp.Diff(map[string]json.RawMessage{"Name": json.RawMessage(`"a"`)}, p.Unknown); diff != "" {
		t.Errorf("Unknown (-want +got):\n%s", diff)
	}
}

// TestEncodeObjectNotJSON: an Object holding a value JSON cannot hold is a
// validation problem at the Object's path, never the value.
func TestEncodeObjectNotJSON(t *testing.T) {
	values := map[string]any{
		"NaN":             math.NaN(),
		"infinity":        math.Inf(-1),
		"channel":         make(chan int),
		"function":        func() {},
		"invalid number":  json.Number("1x"),
		"number as text":  json.Number(`"1"`),
		"nested NaN":      map[string]any{"a": []any{math.NaN()}},
		"complex":         complex(1, 2),
		"raw message bad": json.RawMessage(`{`),
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			profiles := map[string]*Profile{
				"metadata":           {Metadata: Object{"secret-key": v}},
				"addresses[1].extra": {Addresses: []Address{{}, {Extra: Object{"k": v}}}},
				"relations[0].extra": {Relations: []Relation{{Extra: Object{"k": v}}}},
			}
			for path, p := range profiles {
				_, err := Encode(p)
				var ve *ValidationError
				if !errors.As(err, &ve) || !errors.Is(err, ErrInvalid) {
					t.Fatalf("Encode = %v, want a *ValidationError", err)
				}
				want := []Problem{{Path: path, Code: CodeMetadataNotJSON, Message: "holds a value that is not JSON"}}
				if diff := cmp.Diff(want, ve.Problems); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error names the key: %v", err)
				}
			}
		})
	}
}

// TestObjectValues: what an Object holds is written as encoding/json
// writes it, as a JSON value.
func TestObjectValues(t *testing.T) {
	o := Object{
		"s": testString, "n": json.Number("-1.50e+3"), "empty number": json.Number(""),
		"f": 1e21, "small": 1e-7, "i": 42, "u": uint8(7), "b": true, "nil": nil,
		"list": []any{1, "a", nil}, "strings": []string{"x"}, "map": map[string]int{"b": 2, "a": 1},
		"object": Object{"x": json.Number("1")}, "raw": json.RawMessage(` [1, 2] `),
		"struct": struct {
			A int `json:"a"`
		}{A: 1},
	}
	p := &Profile{Metadata: o}
	got, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(map[string]any{"metadata": map[string]any(o)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(jsonAny(t, want), jsonAny(t, got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestCompatibility: encoding/json and go-json-experiment/json, called on
// a Profile or on a struct holding one, take the package's codec.
func TestCompatibility(t *testing.T) {
	p := storedProfile()
	p.Unknown = map[string]json.RawMessage{"zz": json.RawMessage(`[1]`)}
	p.Metadata = Object{"big": json.Number("123456789012345678901234567890")}
	want, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	type holder struct {
		P Profile `json:"p"`
	}
	v1, err := json.Marshal(holder{P: *p})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := jsonv2.Marshal(holder{P: *p})
	if err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string][]byte{"encoding/json": v1, "go-json-experiment/json": v2} {
		wantHolder := append(append([]byte(`{"p":`), want...), '}')
		if diff := cmp.Diff(jsonAny(t, wantHolder), jsonAny(t, out)); diff != "" {
			t.Errorf("%s Marshal (-want +got):\n%s", name, diff)
		}
		var h1, h2 holder
		if err := json.Unmarshal(out, &h1); err != nil {
			t.Fatal(err)
		}
		if err := jsonv2.Unmarshal(out, &h2); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(*p, h1.P); diff != "" {
			t.Errorf("encoding/json Unmarshal (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(*p, h2.P); diff != "" {
			t.Errorf("go-json-experiment/json Unmarshal (-want +got):\n%s", diff)
		}
	}
}

// TestUnknownKeepsBytes: an unknown value's strings and numbers keep their
// bytes; only whitespace goes.
func TestUnknownKeepsBytes(t *testing.T) {
	in := `{"zz": {"s": "\u00e9\/x", "n": 1.50E+3, "l": [ 1 , 2 ]}}`
	p, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"s":"\u00e9\/x","n":1.50E+3,"l":[1,2]}`
	if diff := cmp.Diff(want, string(p.Unknown["zz"])); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	out, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(jsonAny(t, []byte(in)), jsonAny(t, out)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}
