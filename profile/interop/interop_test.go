package interop_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/internal/sharedtest"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/interop"
)

var update = flag.Bool("update", false, "rewrite the golden profiles under testdata/")

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jsonValue decodes data for comparison by value (key order aside, numbers
// exact).
func jsonValue(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode: %v", err)
	}
	return v
}

// checkGoldenProfile compares the profile(s) an import gives with
// testdata/<name>.profile.golden.json, in the profile's JSON format.
func checkGoldenProfile(t *testing.T, name string, v any) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+".profile.golden.json")
	if *update {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readTestdata(t, name+".profile.golden.json")
	if diff := cmp.Diff(jsonValue(t, want), jsonValue(t, got)); diff != "" {
		t.Errorf("imported profile (-want +got):\n%s", diff)
	}
}

// TestSeedPayloads imports every example payload of seeds 001 and 002
// strictly (everything maps), checks the profile against its golden file,
// and exports it back to a JSON value equal to the payload.
func TestSeedPayloads(t *testing.T) {
	cases := []struct {
		name string
		file string
		run  func(data []byte) (imported any, exported []byte, lost []interop.Unmapped, err error)
	}{
		{name: "entity", file: "entity.json", run: func(data []byte) (any, []byte, []interop.Unmapped, error) {
			p, _, err := interop.ImportEntity(data, interop.Options{Strict: true})
			if err != nil {
				return nil, nil, nil, err
			}
			out, lost, err := interop.ExportEntity(p)
			return p, out, lost, err
		}},
		{name: "client_post", file: "client_post.json", run: clientRequestRoundTrip},
		{name: "client_patch", file: "client_patch.json", run: clientRequestRoundTrip},
		{name: "client_get", file: "client_get.json", run: clientRequestRoundTrip},
		{name: "client_list", file: "client_list.json", run: func(data []byte) (any, []byte, []interop.Unmapped, error) {
			l, _, err := interop.ImportClientList(data, interop.Options{Strict: true})
			if err != nil {
				return nil, nil, nil, err
			}
			out, lost, err := interop.ExportClientList(l)
			return l, out, lost, err
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := readTestdata(t, c.file)
			imported, exported, lost, err := c.run(data)
			if err != nil {
				t.Fatalf("round trip: %v", err)
			}
			checkGoldenProfile(t, c.name, imported)
			if len(lost) > 0 {
				t.Errorf("export lost fields: %v", lost)
			}
			if diff := cmp.Diff(jsonValue(t, data), jsonValue(t, exported)); diff != "" {
				t.Errorf("export (-want +got):\n%s", diff)
			}
		})
	}
}

func clientRequestRoundTrip(data []byte) (any, []byte, []interop.Unmapped, error) {
	r, _, err := interop.ImportClientRequest(data, interop.Options{Strict: true})
	if err != nil {
		return nil, nil, nil, err
	}
	out, lost, err := interop.ExportClientRequest(r)
	return r, out, lost, err
}

// TestSeedVerbatimCopies checks that the testdata payloads are the seeds'
// text, and that each corrected copy differs from the verbatim one only by
// the fix its test documents.
func TestSeedVerbatimCopies(t *testing.T) {
	seed001 := string(sharedtest.Read(t, "seeds/001_3719cabbfd70e5b3.txt"))
	seed002 := string(sharedtest.Read(t, "seeds/002_9bc5468366ae3f38.txt"))
	cases := []struct {
		file, seed string
	}{
		{"entity.json", seed001},
		{"client_post.verbatim.txt", seed002},
		{"client_patch.verbatim.txt", seed002},
		{"client_get.verbatim.txt", seed002},
		{"client_list.json", seed002},
	}
	for _, c := range cases {
		if !strings.Contains(c.seed, strings.TrimSpace(string(readTestdata(t, c.file)))) {
			t.Errorf("testdata/%s is not verbatim in its seed", c.file)
		}
	}
	fixes := []struct {
		verbatim, corrected string
		fix                 func(string) string
	}{
		{"client_post.verbatim.txt", "client_post.json", func(s string) string { return s + "}\n" }},
		{"client_patch.verbatim.txt", "client_patch.json", func(s string) string {
			return strings.Replace(s, "\"country\": \"GB\",\n}", "\"country\": \"GB\"\n}", 1)
		}},
		{"client_get.verbatim.txt", "client_get.json", func(s string) string { return "{\n" + s }},
	}
	for _, f := range fixes {
		want := f.fix(string(readTestdata(t, f.verbatim)))
		if diff := cmp.Diff(want, string(readTestdata(t, f.corrected))); diff != "" {
			t.Errorf("%s is not %s with its fix (-want +got):\n%s", f.corrected, f.verbatim, diff)
		}
	}
}

// TestSeedSyntaxErrors: three client examples of seed 002 are not valid
// JSON as printed. The importer rejects each with the line and column.
func TestSeedSyntaxErrors(t *testing.T) {
	cases := []struct {
		name string
		file string
		want interop.SyntaxError
	}{
		// The PATCH example has a trailing comma after identity.country,
		// at the end of line 12: the comma is the error.
		{"patch: trailing comma", "client_patch.verbatim.txt", interop.SyntaxError{Line: 12, Column: 16, Offset: 185, Reason: "unexpected character"}},
		// The GET example lacks its opening brace: it starts with
		// `"workflow": {},`, a string followed by a colon.
		{"get: no opening brace", "client_get.verbatim.txt", interop.SyntaxError{Line: 1, Column: 11, Offset: 10, Reason: "data after the JSON value"}},
		// The POST example lacks its closing brace: the input ends inside
		// the root object.
		{"post: no closing brace", "client_post.verbatim.txt", interop.SyntaxError{Line: 42, Column: 1, Offset: 680, Reason: "unexpected end of JSON input"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := interop.ImportClientRequest(readTestdata(t, c.file), interop.Options{})
			var se *interop.SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, interop.ErrSyntax) {
				t.Fatalf("error %v is not a syntax error", err)
			}
			if diff := cmp.Diff(c.want, *se); diff != "" {
				t.Errorf("syntax error (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSeedEmails: the seed 002 e-mails read "[email protected]", the
// obfuscation of a web page the seed was copied from. They are kept as
// given: the importer maps, it does not validate.
func TestSeedEmails(t *testing.T) {
	r, _, err := interop.ImportClientRequest(readTestdata(t, "client_post.json"), interop.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []profile.Contact{
		{ContactType: profile.ContactMobile, Value: "+441234567890", Main: true},
		{ContactType: profile.ContactEmail, Value: "[email protected]", Main: true},
	}
	if diff := cmp.Diff(want, r.Client.Contacts); diff != "" {
		t.Errorf("contacts (-want +got):\n%s", diff)
	}
}
