package profile

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/internal/sharedtest"
)

// acmeSchema is the example schema of seed 003, 3.1.9, read from the seed.
func acmeSchema(t *testing.T) []byte {
	t.Helper()
	seed := string(sharedtest.Read(t, "seeds/003_4c5ea5c90f46f665.txt"))
	start := strings.Index(seed, `{
"$schema": "https://json-schema.org/draft/2020-12/schema"`)
	if start < 0 {
		t.Fatal("ACME schema not found in seed 003")
	}
	var raw json.RawMessage
	if err := json.NewDecoder(strings.NewReader(seed[start:])).Decode(&raw); err != nil {
		t.Fatalf("ACME schema: %v", err)
	}
	return raw
}

func metadataProblems(t *testing.T, s *MetadataSchema, metadata string) []pc {
	t.Helper()
	p := validLegal()
	if metadata != "" {
		q, err := Decode([]byte(`{"metadata":` + metadata + `}`))
		if err != nil {
			t.Fatal(err)
		}
		p.Metadata = q.Metadata
	}
	return problemsOf(t, NewValidator(Options{Metadata: s}).Validate(p))
}

func TestACMESchema(t *testing.T) {
	s, err := CompileMetadataSchema(acmeSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		metadata string
		want     []pc
	}{
		{name: "no metadata", metadata: ""},
		{name: "accounts", metadata: `{"accounts":["001-1","001-2"]}`},
		{name: "other keys allowed", metadata: `{"segment":"retail"}`},
		{name: "no accounts", metadata: `{"accounts":[]}`, want: []pc{{"metadata.accounts", CodeSchema}}},
		{name: "duplicate accounts", metadata: `{"accounts":["a","a"]}`, want: []pc{{"metadata.accounts", CodeSchema}}},
		{name: "account not a string", metadata: `{"accounts":["a",7]}`, want: []pc{{"metadata.accounts[1]", CodeSchema}}},
		{name: "accounts not an array", metadata: `{"accounts":"a"}`, want: []pc{{"metadata.accounts", CodeSchema}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, metadataProblems(t, s, tt.metadata)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestMetadataJoinsOtherProblems: metadata problems come in the same
// ValidationError as the rest.
func TestMetadataJoinsOtherProblems(t *testing.T) {
	s, err := CompileMetadataSchema(acmeSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	p := validLegal()
	p.Name = ""
	p.Metadata = Object{"accounts": []string{}} // built in Go, not decoded
	got := problemsOf(t, NewValidator(Options{Metadata: s}).Validate(p))
	want := []pc{{"name", CodeRequired}, {"metadata.accounts", CodeSchema}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestSchemaDrafts: "$schema" picks the draft. Each schema uses a keyword
// whose meaning is particular to its draft.
func TestSchemaDrafts(t *testing.T) {
	tests := []struct {
		name      string
		schema    string
		good, bad string
		badPath   string
	}{
		{
			name:   "draft-04 boolean exclusiveMaximum",
			schema: `{"$schema":"http://json-schema.org/draft-04/schema#","properties":{"n":{"maximum":10,"exclusiveMaximum":true}}}`,
			good:   `{"n":9}`, bad: `{"n":10}`, badPath: "metadata.n",
		},
		{
			name:   "draft-06 const",
			schema: `{"$schema":"http://json-schema.org/draft-06/schema#","properties":{"kind":{"const":"retail"}}}`,
			good:   `{"kind":"retail"}`, bad: `{"kind":"corporate"}`, badPath: "metadata.kind",
		},
		{
			name:   "draft-07 if/then",
			schema: `{"$schema":"http://json-schema.org/draft-07/schema#","if":{"required":["vip"]},"then":{"required":["manager"]}}`,
			good:   `{"vip":true,"manager":"m"}`, bad: `{"vip":true}`, badPath: "metadata",
		},
		{
			name:   "2019-09 dependentRequired",
			schema: `{"$schema":"https://json-schema.org/draft/2019-09/schema","dependentRequired":{"iban":["bic"]}}`,
			good:   `{"iban":"x","bic":"y"}`, bad: `{"iban":"x"}`, badPath: "metadata",
		},
		{
			name:   "2020-12 prefixItems",
			schema: `{"$schema":"https://json-schema.org/draft/2020-12/schema","properties":{"pair":{"prefixItems":[{"type":"string"},{"type":"integer"}]}}}`,
			good:   `{"pair":["a",1]}`, bad: `{"pair":["a","b"]}`, badPath: "metadata.pair[1]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := CompileMetadataSchema([]byte(tt.schema))
			if err != nil {
				t.Fatal(err)
			}
			if got := metadataProblems(t, s, tt.good); got != nil {
				t.Errorf("good metadata: %v", got)
			}
			if diff := cmp.Diff([]pc{{tt.badPath, CodeSchema}}, metadataProblems(t, s, tt.bad)); diff != "" {
				t.Errorf("bad metadata (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompileMetadataSchemaErrors(t *testing.T) {
	tests := []struct {
		name       string
		schema     string
		wantReason string
	}{
		{name: "not JSON", schema: `{"type":`, wantReason: ""},
		{name: "bad keyword value", schema: `{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"strnig"}`, wantReason: "type"},
		{name: "draft-04 rejects numeric exclusiveMaximum", schema: `{"$schema":"http://json-schema.org/draft-04/schema#","exclusiveMaximum":5}`, wantReason: "exclusiveMaximum"},
		{name: "unknown draft", schema: `{"$schema":"https://example.com/my-draft"}`, wantReason: "not allowed"},
		{name: "remote reference", schema: `{"$ref":"https://example.com/other.json"}`, wantReason: "not allowed"},
		{name: "file reference", schema: `{"$ref":"file:///etc/passwd"}`, wantReason: "not allowed"},
		{name: "dangling local reference", schema: `{"$ref":"#/$defs/missing"}`, wantReason: "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CompileMetadataSchema([]byte(tt.schema))
			if !errors.Is(err, ErrSchema) {
				t.Fatalf("CompileMetadataSchema = %v, want ErrSchema", err)
			}
			if !strings.Contains(err.Error(), tt.wantReason) {
				t.Errorf("error %q does not give the reason %q", err, tt.wantReason)
			}
			if strings.Contains(err.Error(), metadataSchemaURL) {
				t.Errorf("error %q names the internal URL", err)
			}
		})
	}
}

func TestMetadataNotJSON(t *testing.T) {
	s, err := CompileMetadataSchema([]byte(`{"type":"object"}`))
	if err != nil {
		t.Fatal(err)
	}
	p := validLegal()
	p.Metadata = Object{"f": func() {}}
	got := problemsOf(t, NewValidator(Options{Metadata: s}).Validate(p))
	if diff := cmp.Diff([]pc{{"metadata", CodeMetadataNotJSON}}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
