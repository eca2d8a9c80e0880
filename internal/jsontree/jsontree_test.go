package jsontree

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/go-cmp/cmp"
)

func read(t *testing.T, in string) (any, error) {
	t.Helper()
	return Read(jsontext.NewDecoder(bytes.NewReader([]byte(in))))
}

// TestRead: the tree is encoding/json's with UseNumber.
func TestRead(t *testing.T) {
	inputs := []string{
		`{"a":[1,-2.50e+3,"x",true,false,null,{},[]],"big":123456789012345678901234567890}`,
		`[{"k":{"n":0.1}}]`, `"s"`, `1.10`, `null`, `{"\u00e9":"\ud83d\ude00"}`,
	}
	for _, in := range inputs {
		got, err := read(t, in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(in)))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", in, diff)
		}
	}
}

// TestReadErrors: syntax errors and duplicate keys are the decoder's
// structured errors.
func TestReadErrors(t *testing.T) {
	for _, in := range []string{`{"a":1,"a":2}`, `{"a":[1,}`, `{`, `[1 2]`} {
		_, err := read(t, in)
		var se *jsontext.SyntacticError
		if !errors.As(err, &se) {
			t.Errorf("%s: Read = %v, want a *jsontext.SyntacticError", in, err)
		}
	}
}
