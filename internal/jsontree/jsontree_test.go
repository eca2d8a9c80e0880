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

// FuzzRead: whatever Read accepts, encoding/json with UseNumber reads to
// the same tree; Read never panics.
func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"a":[1,-2.50e+3,"x",true,null,{}],"b":{"c":"\u00e9"}}`))
	f.Add([]byte(`[1,2`))
	f.Add([]byte(`{"a":1,"a":2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		dec := jsontext.NewDecoder(bytes.NewReader(data))
		got, err := Read(dec)
		if err != nil {
			return
		}
		var want any
		v1 := json.NewDecoder(bytes.NewReader(data))
		v1.UseNumber()
		if err := v1.Decode(&want); err != nil {
			t.Fatalf("Read accepted what encoding/json refuses (%v): %q", err, data)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%q (-encoding/json +Read):\n%s", data, diff)
		}
	})
}
