package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		strict  bool
		wantErr error
	}{
		{name: "empty input", in: "", wantErr: ErrSyntax},
		{name: "not JSON", in: "hello", wantErr: ErrSyntax},
		{name: "truncated", in: `{"name":"x"`, wantErr: ErrSyntax},
		{name: "two values", in: `{} {}`, wantErr: ErrSyntax},
		{name: "array at top", in: `[]`, wantErr: ErrType},
		{name: "null at top", in: `null`, wantErr: ErrType},
		{name: "string for int", in: `{"version":"2"}`, wantErr: ErrType},
		{name: "float for timestamp", in: `{"created_at":1.5}`, wantErr: ErrType},
		{name: "number too big for a date", in: `{"natural_person":{"birth_date":1e400}}`, wantErr: ErrType},
		{name: "object for string", in: `{"name":{}}`, wantErr: ErrType},
		{name: "array for metadata", in: `{"metadata":[]}`, wantErr: ErrType},
		{name: "unknown key strict", in: `{"nickname":"x"}`, strict: true, wantErr: ErrUnknownField},
		{name: "case-folded key strict", in: `{"Name":"x"}`, strict: true, wantErr: ErrUnknownField},
		{name: "nested unknown key strict", in: `{"natural_person":{"shoe_size":42}}`, strict: true, wantErr: ErrUnknownField},
		{name: "too deep", in: strings.Repeat(`{"metadata":`, 10000), wantErr: ErrTooDeep},
		{name: "too deep metadata", in: `{"metadata":{"a":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}}`, wantErr: ErrTooDeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decode([]byte(tt.in), tt.strict)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("decode = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestDecodeTypeErrorHasPathAndPosition(t *testing.T) {
	in := "{\n\"contacts\":[{\"value\":\"a\"},\n{\"main\":\"yes-secret\"}]}"
	_, err := Decode([]byte(in))
	var te *TypeError
	if !errors.As(err, &te) {
		t.Fatalf("Decode = %v, want *TypeError", err)
	}
	want := &TypeError{Path: "contacts[1].main", Expected: "a boolean", Line: 3, Column: 9}
	if diff := cmp.Diff(want, te); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if strings.Contains(err.Error(), "yes-secret") {
		t.Errorf("error quotes the value: %v", err)
	}
}

// TestTypeErrorPositionAfterUnknownKeys: blanking unknown keys keeps the
// positions of the input.
func TestTypeErrorPositionAfterUnknownKeys(t *testing.T) {
	inputs := []string{
		"{\"zz\":1,\n\"Name\":2,\n  \"version\":\"x\"}",
		"{\n\n  \"version\":\"x\",\"zz\":[1,\n2]}",
	}
	wants := []*TypeError{
		{Path: "version", Expected: "an integer in range", Line: 3, Column: 13},
		{Path: "version", Expected: "an integer in range", Line: 3, Column: 13},
	}
	for i, in := range inputs {
		_, err := Decode([]byte(in))
		var te *TypeError
		if !errors.As(err, &te) {
			t.Fatalf("Decode = %v, want *TypeError", err)
		}
		if diff := cmp.Diff(wants[i], te); diff != "" {
			t.Errorf("input %d (-want +got):\n%s", i, diff)
		}
	}
}

func TestSyntaxErrorPosition(t *testing.T) {
	tests := []struct {
		name      string
		in        string
		line, col int
	}{
		{name: "first byte", in: "x", line: 1, col: 1},
		{name: "second line", in: "{\n\"a\" 1}", line: 2, col: 5},
		{name: "trailing comma", in: "{\"a\":1,\n}", line: 1, col: 7},
		{name: "missing value at end", in: "{\"a\":", line: 1, col: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Decode = %v, want *SyntaxError", err)
			}
			if diff := cmp.Diff([2]int{tt.line, tt.col}, [2]int{se.Line, se.Column}); diff != "" {
				t.Errorf("line, column (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUnknownKeysLenient(t *testing.T) {
	in := `{"person_type":"legal_person","name":"Acme","zeta":{"b": [1, 2]},"Name":"shadow","alpha":12345678901234567890}`
	p, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	wantUnknown := map[string]json.RawMessage{
		"zeta":  json.RawMessage(`{"b":[1,2]}`),
		"Name":  json.RawMessage(`"shadow"`),
		"alpha": json.RawMessage(`12345678901234567890`),
	}
	if diff := cmp.Diff(wantUnknown, p.Unknown); diff != "" {
		t.Errorf("Unknown (-want +got):\n%s", diff)
	}
	if p.Name != "Acme" {
		t.Errorf("Name = %q: a case-folded unknown key overwrote the field", p.Name)
	}
	out, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(jsonAny(t, []byte(in)), jsonAny(t, out)); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	if _, err := DecodeStrict([]byte(in)); !errors.Is(err, ErrUnknownField) {
		t.Errorf("DecodeStrict = %v, want ErrUnknownField", err)
	}
}

// TestDecodeStrictNested checks that a strict decode names an unknown key of
// a nested record by its path, the first in document order, and that keys
// match case-sensitively.
func TestDecodeStrictNested(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"natural person", `{"person_type":"natural_person","natural_person":{"name":{"first":"Ana"},"shoe_size":38}}`, []string{"natural_person.shoe_size"}},
		{"list element", `{"contacts":[{"contact_type":"email","value":"a@b.c"},{"contact_type":"email","vlaue":"x"}]}`, []string{"contacts[1].vlaue"}},
		{"first of two", `{"declaration":{"pepp":true},"addresses":[{"zip":"1"}]}`, []string{"declaration.pepp"}},
		{"case folded is unknown", `{"natural_person":{"Name":{"FIRST":"Ana"}}}`, []string{"natural_person.Name"}},
		{"known keys", `{"natural_person":{"name":{"first":"Ana"}}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeStrict([]byte(tt.in))
			var ue *UnknownFieldError
			if tt.want == nil {
				if err != nil {
					t.Fatalf("DecodeStrict: %v", err)
				}
				return
			}
			if !errors.As(err, &ue) {
				t.Fatalf("DecodeStrict = %v, want an *UnknownFieldError", err)
			}
			if diff := cmp.Diff(tt.want, ue.Keys); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncodeRejectsBadUnknown(t *testing.T) {
	tests := []struct {
		name    string
		unknown map[string]json.RawMessage
	}{
		{name: "invalid JSON", unknown: map[string]json.RawMessage{"x": json.RawMessage(`{`)}},
		{name: "shadows a known key", unknown: map[string]json.RawMessage{"name": json.RawMessage(`"x"`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Profile{Name: "A", Unknown: tt.unknown}
			if _, err := Encode(p); !errors.Is(err, ErrUnknownValue) {
				t.Errorf("Encode = %v, want ErrUnknownValue", err)
			}
		})
	}
}

func TestEncodeUnknownOnEmptyProfile(t *testing.T) {
	p := &Profile{Unknown: map[string]json.RawMessage{"b": json.RawMessage(` 2 `), "a": json.RawMessage(`1`)}}
	out, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"a":1,"b":2}`, string(out)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestMetadataExactNumbers: an integer above 2^53 survives a round trip
// (DESIGN.md, "The profile").
func TestMetadataExactNumbers(t *testing.T) {
	in := `{"metadata":{"big":9007199254740993,"f":1.10,"neg":-12345678901234567890123}}`
	p, err := Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(in, string(out)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDecodeLimits(t *testing.T) {
	t.Run("over the size limit", func(t *testing.T) {
		big := make([]byte, MaxInputSize+1)
		if _, err := Decode(big); !errors.Is(err, ErrTooLarge) {
			t.Errorf("Decode = %v, want ErrTooLarge", err)
		}
	})
	t.Run("10 MB string", func(t *testing.T) {
		s := strings.Repeat("a", 10<<20)
		p, err := Decode([]byte(`{"person_type":"legal_person","name":"` + s + `"}`))
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Name) != len(s) {
			t.Errorf("name has %d bytes, want %d", len(p.Name), len(s))
		}
	})
	// 100,000 contacts decode; validation refuses the list at once (over
	// MaxListItems), and at the limit it reports every extra main contact
	// with an error text that stays readable.
	for _, tc := range []struct {
		n        int
		problems int
	}{{100000, 1}, {MaxListItems, MaxListItems - 1}} {
		t.Run(fmt.Sprintf("%d contacts", tc.n), func(t *testing.T) {
			var b bytes.Buffer
			b.WriteString(`{"person_type":"legal_person","name":"Acme","contacts":[`)
			for i := range tc.n {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `{"contact_type":"mobile","value":"+1%d","main":true}`, i)
			}
			b.WriteString("]}")
			p, err := Decode(b.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			err = Validate(p)
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %v, want *ValidationError", err)
			}
			if len(ve.Problems) != tc.problems {
				t.Errorf("%d problems, want %d", len(ve.Problems), tc.problems)
			}
			if n := len(ve.Error()); n > 2000 {
				t.Errorf("error text is %d bytes: it must stay readable", n)
			}
		})
	}
}
