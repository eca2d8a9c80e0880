package fieldpath_test

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/kycsdk/kyc/internal/fieldpath"
)

// omitting has a field of every kind under omitempty and under omitzero.
type omitting struct {
	EmptyString  string          `json:"empty_string,omitempty"`
	ZeroString   string          `json:"zero_string,omitzero"`
	EmptyBool    bool            `json:"empty_bool,omitempty"`
	ZeroBool     bool            `json:"zero_bool,omitzero"`
	EmptyInt     int64           `json:"empty_int,omitempty"`
	ZeroInt      int             `json:"zero_int,omitzero"`
	EmptyUint    uint8           `json:"empty_uint,omitempty"`
	ZeroUint     uint            `json:"zero_uint,omitzero"`
	EmptyFloat   float64         `json:"empty_float,omitempty"`
	ZeroFloat    float64         `json:"zero_float,omitzero"`
	EmptyPointer *int            `json:"empty_pointer,omitempty"`
	ZeroPointer  *int            `json:"zero_pointer,omitzero"`
	EmptyAny     any             `json:"empty_any,omitempty"`
	ZeroAny      any             `json:"zero_any,omitzero"`
	EmptyMap     map[string]int  `json:"empty_map,omitempty"`
	ZeroMap      map[string]int  `json:"zero_map,omitzero"`
	EmptyArray   [2]int          `json:"empty_array,omitempty"`
	ZeroArray    [2]int          `json:"zero_array,omitzero"`
	EmptyStruct  struct{ A int } `json:"empty_struct,omitempty"`
	ZeroStruct   struct{ A int } `json:"zero_struct,omitzero"`
	Always       string          `json:"always"`
}

// TestOmittedAsEncodingJSON holds Field.Omitted to encoding/json: a field
// is omitted exactly when json.Marshal leaves its key out, for zero
// values, values that are empty but not zero, and values that are neither.
func TestOmittedAsEncodingJSON(t *testing.T) {
	one := 1
	cases := []struct {
		name string
		v    omitting
	}{
		{"zero", omitting{}},
		{"empty but not zero", omitting{
			EmptyFloat: math.Copysign(0, -1), ZeroFloat: math.Copysign(0, -1),
			EmptyAny: 0, ZeroAny: "",
			EmptyMap: map[string]int{}, ZeroMap: map[string]int{},
		}},
		{"set", omitting{
			EmptyString: "x", ZeroString: "x", EmptyBool: true, ZeroBool: true,
			EmptyInt: -1, ZeroInt: 1, EmptyUint: 1, ZeroUint: 1,
			EmptyFloat: 0.5, ZeroFloat: 0.5, EmptyPointer: &one, ZeroPointer: &one,
			EmptyAny: 1, ZeroAny: 1, EmptyMap: map[string]int{"k": 1}, ZeroMap: map[string]int{"k": 1},
			EmptyArray: [2]int{0, 1}, ZeroArray: [2]int{0, 1},
			EmptyStruct: struct{ A int }{1}, ZeroStruct: struct{ A int }{1},
		}},
	}
	fs := fieldpath.Of(reflect.TypeFor[omitting]())
	for _, c := range cases {
		b, err := json.Marshal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		rv := reflect.ValueOf(c.v)
		for i := range fs.List {
			f := &fs.List[i]
			fv, ok := f.Value(rv)
			if !ok {
				t.Fatalf("%s: %s: no value", c.name, f.Name)
			}
			_, written := doc[f.Name]
			if got := f.Omitted(fv); got != !written {
				t.Errorf("%s: %s: Omitted = %v, encoding/json writes it: %v", c.name, f.Name, got, written)
			}
		}
	}
}
