package interop_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/interop"
)

func addTestdataSeeds(f *testing.F, names ...string) {
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", n))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// knownError reports whether err is one of the package's kinds: an import
// may fail, but only with an error that says what went wrong.
func knownError(err error) bool {
	for _, kind := range []error{interop.ErrSyntax, interop.ErrType, interop.ErrMissing, interop.ErrValue, interop.ErrDate} {
		if errors.Is(err, kind) {
			return true
		}
	}
	return false
}

// FuzzImportEntity: importing arbitrary bytes never panics and fails only
// with a known error; import -> export -> import gives the same profile,
// nothing reported lost, and the same bytes when exported again.
func FuzzImportEntity(f *testing.F) {
	addTestdataSeeds(f, "entity.json")
	f.Add([]byte(`{"entity":{"entityType":"ORGANISATION","addresses":[{"addressType":"X","country":"esp"}],"extraData":[{"kvpKey":"k","kvpValue":1}]}}`))
	f.Add([]byte(`{"entity":{"entityType":"INDIVIDUAL","dateOfBirth":{"dateOfBirth":"1989-02-30"}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, _, err := interop.ImportEntity(data, interop.Options{})
		if err != nil {
			if !knownError(err) {
				t.Fatalf("unknown error kind: %v", err)
			}
			return
		}
		checkStable(t, p, interop.ExportEntity, interop.ImportEntity)
	})
}

// FuzzImportClient does the same for the seed 002 client shape.
func FuzzImportClient(f *testing.F) {
	f.Add([]byte(`{"id":"1","fullName":"Canay Özel","identity":{"type":"individual","givenName":"Canay","familyName":"Özel","identifications":[{"type":"passport","issueDate":"2022-01-01"}]},"profile":{"phone":"1","residentialAddress":{"refinement":""}}}`))
	f.Add([]byte(`{"identity":{"type":"corporate","legalName":"I.F","incorporationDate":"1987-01-01","country":"gbr"},"fullName":"IF","profile":{"identityType":"corporate","registrationAddress":null}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, _, err := interop.ImportClient(data, interop.Options{})
		if err != nil {
			if !knownError(err) {
				t.Fatalf("unknown error kind: %v", err)
			}
			return
		}
		checkStable(t, p, interop.ExportClient, interop.ImportClient)
	})
}

type exportFunc func(*profile.Profile) ([]byte, []interop.Unmapped, error)
type importFunc func([]byte, interop.Options) (*profile.Profile, []interop.Unmapped, error)

func checkStable(t *testing.T, p *profile.Profile, export exportFunc, imp importFunc) {
	t.Helper()
	out, lost, err := export(p)
	if err != nil {
		t.Fatalf("export of an imported profile: %v", err)
	}
	if len(lost) > 0 {
		t.Fatalf("export of an imported profile lost %v", lost)
	}
	back, unmapped, err := imp(out, interop.Options{})
	if err != nil || len(unmapped) > 0 {
		t.Fatalf("import of an export: %v, unmapped %v", err, unmapped)
	}
	if diff := cmp.Diff(p, back); diff != "" {
		t.Fatalf("import -> export -> import changed the profile (-first +second):\n%s", diff)
	}
	again, _, err := export(back)
	if err != nil || string(again) != string(out) {
		t.Fatalf("second export differs: %v\n%s\n%s", err, out, again)
	}
}
