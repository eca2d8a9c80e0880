package reliability

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// validDoc is a valid profile with "%s" where a hostile part goes: the
// members after person_type.
const validDoc = `{"person_type": "legal_person", "name": "Acme SA", "tax_payer_id": "30-1", %s}`

func hostileDoc(member string) []byte { return []byte(fmt.Sprintf(validDoc, member)) }

func repeatJoin(item string, n int, sep string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(strings.ReplaceAll(item, "#", fmt.Sprint(i)))
	}
	return b.String()
}

// hostileDocument is one hostile JSON input. wantErr is the error Decode
// must return, nil when it may decode (the Service must then refuse the
// profile); issue, when set, names a known bug that makes the case fail,
// and the case then runs only with -known-issues.
type hostileDocument struct {
	name    string
	doc     []byte
	wantErr error
	issue   string
}

// hostileDocuments are JSON inputs built to exhaust a decoder or a store.
// wantErr is the error Decode must return, nil when it may decode (the
// Service must then refuse the profile).
func hostileDocuments() []hostileDocument {
	deep := 100000
	return []hostileDocument{
		{"metadata nested 100,000 deep in arrays", hostileDoc(`"metadata": {"x": ` + strings.Repeat("[", deep) + strings.Repeat("]", deep) + `}`), profile.ErrTooDeep, ""},
		{"metadata nested 100,000 deep in objects", hostileDoc(`"metadata": ` + strings.Repeat(`{"a":`, deep) + "1" + strings.Repeat("}", deep)), profile.ErrTooDeep, ""},
		{"profile nested 100,000 deep, unclosed", []byte(strings.Repeat("[", deep)), profile.ErrTooDeep, ""},
		{"unknown key nested 100,000 deep", hostileDoc(`"extra": ` + strings.Repeat("[", deep) + strings.Repeat("]", deep)), profile.ErrTooDeep, ""},
		{"100,000 contacts", hostileDoc(`"contacts": [` + repeatJoin(`{"contact_type": "email", "value": "u#@example.com"}`, 100000, ",") + `]`), nil, ""},
		{"100,000 labels", hostileDoc(`"labels": [` + repeatJoin(`"label#"`, 100000, ",") + `]`), nil, ""},
		{"100,000-element metadata list", hostileDoc(`"metadata": {"x": [` + repeatJoin(`"0123456789#"`, 100000, ",") + `]}`), nil, ""},
		{"10 MB metadata string", hostileDoc(`"metadata": {"x": "` + strings.Repeat("a", 10<<20) + `"}`), nil, ""},
		{"10 MB name", hostileDoc(`"external_ref": "` + strings.Repeat("a", 10<<20) + `"`), nil, ""},
		{"17 MB input", hostileDoc(`"metadata": {"x": "` + strings.Repeat("a", 17<<20) + `"}`), profile.ErrTooLarge, ""},
		{"NaN", hostileDoc(`"declared_income": NaN`), profile.ErrSyntax, ""},
		{"Infinity", hostileDoc(`"declared_income": Infinity`), profile.ErrSyntax, ""},
		{"-Infinity in metadata", hostileDoc(`"metadata": {"x": -Infinity}`), profile.ErrSyntax, ""},
		{"NaN in an unknown key", hostileDoc(`"extra": NaN`), profile.ErrSyntax, ""},
		{"number with 1,000,000 digits", hostileDoc(`"declared_income": 1` + strings.Repeat("0", 1000000)), profile.ErrType, ""},
		{"truncated", hostileDoc(`"metadata": {"x": [1, 2`)[:60], profile.ErrSyntax, ""},
	}
}

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// memBound is the most a hostile input may cost to decode or refuse: a
// small multiple of its size, as profile.MaxInputSize promises, plus a
// fixed allowance.
func memBound(size int) uint64 { return uint64(40*size) + 64<<20 }

// timeBound is the longest a hostile input may take to refuse: a few
// seconds, ten times more under the race detector.
func timeBound() time.Duration {
	if raceEnabled {
		return 60 * time.Second
	}
	return 6 * time.Second
}

// TestHostileDocuments decodes hostile JSON with profile.Decode and, when it
// decodes, gives the profile to Service.Create: a clear error, memory
// bounded by a multiple of the input, no panic, nothing stored.
func TestHostileDocuments(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	svc := newService(t, store)
	for _, tc := range hostileDocuments() {
		t.Run(tc.name, func(t *testing.T) {
			if tc.issue != "" && !*flagKnownIssues {
				t.Skip("issue: " + tc.issue)
			}
			var (
				p   *profile.Profile
				err error
			)
			mem := allocated(func() { p, err = profile.Decode(tc.doc) })
			t.Logf("input %d bytes, Decode allocated %d bytes (%.1fx)", len(tc.doc), mem, float64(mem)/float64(len(tc.doc)))
			if mem > memBound(len(tc.doc)) {
				t.Errorf("Decode allocated %d bytes for %d of input", mem, len(tc.doc))
			}
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Decode: got %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			start := time.Now()
			mem = allocated(func() { _, err = svc.Create(ctx, maker, p) })
			elapsed := time.Since(start)
			t.Logf("Create allocated %d bytes in %v; error: %v", mem, elapsed.Round(time.Millisecond), err)
			if elapsed > timeBound() {
				t.Errorf("Create took %v", elapsed)
			}
			if err == nil {
				t.Fatalf("Create accepted a hostile profile")
			}
			if mem > memBound(len(tc.doc)) {
				t.Errorf("Create allocated %d bytes for %d of input", mem, len(tc.doc))
			}
			if len(err.Error()) > 4096 {
				t.Errorf("the error is %d bytes long: not a clear error", len(err.Error()))
			}
		})
	}
	assertEmpty(t, store, maker.Tenant)
}

// assertEmpty checks that nothing was stored for tenant.
func assertEmpty(t *testing.T, store storage.Store, tenant string) {
	t.Helper()
	page, err := store.ListProfiles(context.Background(), tenant, storage.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if page.TotalElements != 0 {
		t.Errorf("%d profiles stored from hostile input", page.TotalElements)
	}
}

// nested returns a JSON value n arrays deep.
func nested(n int) any {
	var v any = []any{}
	for range n {
		v = []any{v}
	}
	return v
}

// TestHostileValues gives Service.Create profiles built in Go that no JSON
// decoder would produce: values nested 100,000 deep, NaN and infinities,
// invalid UTF-8. Each must be refused with an error and nothing stored.
func TestHostileValues(t *testing.T) {
	ctx := context.Background()
	base := func() *profile.Profile {
		p, err := profile.Decode(hostileDoc(`"metadata": {}`))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name  string
		build func(p *profile.Profile)
		issue string
	}{
		{"metadata nested 100,000 deep", func(p *profile.Profile) { p.Metadata["x"] = nested(100000) }, ""},
		{"metadata nested 65 deep", func(p *profile.Profile) { p.Metadata["x"] = nested(65) }, ""},
		{"NaN in metadata", func(p *profile.Profile) { p.Metadata["x"] = math.NaN() }, ""},
		{"+Inf in metadata", func(p *profile.Profile) { p.Metadata["x"] = math.Inf(1) }, ""},
		{"channel in metadata", func(p *profile.Profile) { p.Metadata["x"] = make(chan int) }, ""},
		{"10 MB metadata string", func(p *profile.Profile) { p.Metadata["x"] = strings.Repeat("a", 10<<20) }, ""},
		{"100,000 labels", func(p *profile.Profile) {
			for i := range 100000 {
				p.Labels = append(p.Labels, fmt.Sprintf("label%d", i))
			}
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.issue != "" && !*flagKnownIssues {
				t.Skip("issue: " + tc.issue)
			}
			store := memory.New()
			svc := newService(t, store)
			p := base()
			tc.build(p)
			var err error
			start := time.Now()
			mem := allocated(func() {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("panic: %v", r)
					}
				}()
				_, err = svc.Create(ctx, maker, p)
			})
			elapsed := time.Since(start)
			t.Logf("Create allocated %d bytes in %v; error: %v", mem, elapsed.Round(time.Millisecond), err)
			if err == nil {
				t.Errorf("Create accepted the profile")
			}
			if elapsed > timeBound() {
				t.Errorf("Create took %v", elapsed)
			}
			if strings.HasPrefix(fmt.Sprint(err), "panic") {
				t.Errorf("Create panicked: %v", err)
			}
			if mem > memBound(10<<20) {
				t.Errorf("Create allocated %d bytes", mem)
			}
			assertEmpty(t, store, maker.Tenant)
		})
	}
}

// TestInvalidUTF8 decodes text fields and keys holding invalid UTF-8. The
// behaviour is encoding/json's, deterministic: every invalid byte becomes
// U+FFFD, so what is stored is valid UTF-8 and never the raw bytes.
func TestInvalidUTF8(t *testing.T) {
	ctx := context.Background()
	docs := map[string][]byte{
		"in a value":          hostileDoc(`"external_ref": "ab` + "\xff\xfe" + `cd"`),
		"in metadata":         hostileDoc(`"metadata": {"x": "` + "\xc3\x28" + `"}`),
		"in a metadata key":   hostileDoc(`"metadata": {"` + "\xed\xa0\x80" + `": 1}`),
		"in an unknown key":   hostileDoc(`"` + "\xff" + `": 1`),
		"truncated multibyte": hostileDoc(`"external_ref": "` + "\xe2\x82" + `"`),
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			p, err := profile.Decode(doc)
			if err != nil {
				if !errors.Is(err, profile.ErrSyntax) && !errors.Is(err, profile.ErrUnknownValue) {
					t.Fatalf("Decode: %v, want a decoded profile or a syntax error", err)
				}
				return
			}
			out, err := profile.Encode(p)
			if err != nil {
				t.Logf("Encode refuses it: %v", err)
				return
			}
			if !utf8.Valid(out) {
				t.Errorf("the encoded profile holds invalid UTF-8: %q", out)
			}
			store := memory.New()
			saved, err := newService(t, store).Create(ctx, maker, p)
			if err != nil {
				t.Logf("Create refuses it: %v", err)
				assertEmpty(t, store, maker.Tenant)
				return
			}
			enc, _ := profile.Encode(saved)
			if !utf8.Valid(enc) {
				t.Errorf("stored profile holds invalid UTF-8")
			}
		})
	}
}

// TestDuplicateKeys documents what a duplicate key does: the document is
// refused, with a syntax error naming the repeated key's path, the same way
// on every decode and at every level.
func TestDuplicateKeys(t *testing.T) {
	tests := []struct {
		name string
		doc  []byte
		path string
	}{
		{"top level", hostileDoc(`"external_ref": "first", "external_ref": "last"`), "external_ref"},
		{"in metadata", hostileDoc(`"metadata": {"x": "first", "x": "last"}`), "metadata.x"},
		{"whole metadata twice", hostileDoc(`"metadata": {"x": "first"}, "metadata": {"y": "last"}`), "metadata"},
		{"unknown key", hostileDoc(`"extra": 1, "extra": 2`), "extra"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for range 20 {
				_, err := profile.Decode(tc.doc)
				var se *profile.SyntaxError
				if !errors.As(err, &se) || !errors.Is(err, profile.ErrSyntax) {
					t.Fatalf("Decode = %v, want a *profile.SyntaxError", err)
				}
				if diff := cmp.Diff(tc.path, se.Path); diff != "" {
					t.Fatalf("path (-want +got):\n%s", diff)
				}
			}
		})
	}
}
