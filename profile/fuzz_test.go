package profile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func addSeedCorpus(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "seed", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"metadata":{"a":[1,{"b":null}],"big":123456789012345678901234567890},"x":{"y":[]}}`))
	f.Add([]byte(`{"Name":"a","name":"b","unknown":"\u00e9"}`))
	f.Add([]byte(`{"natural_person":{"birth_date":-62135596800001}}`))
}

// FuzzDecodeValidateEncode: decode, validate, normalise and encode never
// panic, and every error is one of the package's.
func FuzzDecodeValidateEncode(f *testing.F) {
	addSeedCorpus(f)
	v := NewValidator(Options{Now: func() time.Time { return testNow }})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, strict := range []bool{false, true} {
			p, err := decode(data, strict)
			if err != nil {
				if !isPackageError(err) {
					t.Fatalf("decode error %v wraps no sentinel of the package", err)
				}
				continue
			}
			if err := v.Validate(p); err != nil && !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate = %v", err)
			}
			if _, err := Encode(p); err != nil {
				t.Fatalf("Encode after decode: %v", err)
			}
			p.Normalize()
			_ = v.Validate(p)
			if _, err := Encode(p); err != nil {
				t.Fatalf("Encode after Normalize: %v", err)
			}
		}
	})
}

func isPackageError(err error) bool {
	for _, s := range []error{ErrTooLarge, ErrTooDeep, ErrSyntax, ErrType, ErrUnknownField} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// FuzzRoundTrip: a profile that decodes and encodes decodes again to the
// same value, and encodes again to the same bytes. Empty and absent are the
// same (an empty metadata object is omitted, as omitempty writes it).
func FuzzRoundTrip(f *testing.F) {
	addSeedCorpus(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Decode(data)
		if err != nil {
			return
		}
		out, err := Encode(p)
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		q, err := Decode(out)
		if err != nil {
			t.Fatalf("Decode of own output: %v\n%s", err, out)
		}
		if diff := cmp.Diff(p, q, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("second decode differs (-first +second):\n%s", diff)
		}
		again, err := Encode(q)
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		if diff := cmp.Diff(string(out), string(again)); diff != "" {
			t.Fatalf("encoding is not stable (-first +second):\n%s", diff)
		}
	})
}
