package profile

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// fanOutSchema is the schema of issue 16 (3): each of depth $defs is an
// anyOf of two references to the next, so the schema reads as a few hundred
// bytes and expands to 2^depth leaves.
func fanOutSchema(depth int) string {
	var b strings.Builder
	b.WriteString(`{"$schema":"https://json-schema.org/draft/2020-12/schema","properties":{"x":{"$ref":"#/$defs/d0"}},"$defs":{`)
	for i := range depth {
		fmt.Fprintf(&b, `"d%d":{"anyOf":[{"$ref":"#/$defs/d%d"},{"$ref":"#/$defs/d%d"}]},`, i, i+1, i+1)
	}
	fmt.Fprintf(&b, `"d%d":{"type":"string"}}}`, depth)
	return b.String()
}

// TestSchemaExpansionRefused: the fan-out schema is refused when it is
// compiled, quickly, with an error naming the problem.
func TestSchemaExpansionRefused(t *testing.T) {
	for _, depth := range []int{14, 18, 40} {
		t.Run(fmt.Sprint(depth), func(t *testing.T) {
			start := time.Now()
			_, err := CompileMetadataSchema([]byte(fanOutSchema(depth)))
			if !errors.Is(err, ErrSchema) {
				t.Fatalf("CompileMetadataSchema = %v, want ErrSchema", err)
			}
			if !strings.Contains(err.Error(), "expands to more than") {
				t.Errorf("error %q does not name the expansion", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refusing took %v", d)
			}
		})
	}
}

// TestSchemaExpansionAccepted: schemas a tenant writes stay accepted: a
// small fan-out, a recursive tree (children and left/right), the ACME schema
// of seed 003.
func TestSchemaExpansionAccepted(t *testing.T) {
	tests := []struct {
		name, schema string
		good, bad    string
		badPath      string
	}{
		{
			name:   "fan-out depth 6",
			schema: fanOutSchema(6),
			good:   `{"x":"s"}`, bad: `{"x":1}`, badPath: "metadata.x",
		},
		{
			name:    "recursive tree",
			schema:  `{"$defs":{"node":{"type":"object","properties":{"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#/$defs/node"}}}}},"properties":{"tree":{"$ref":"#/$defs/node"}}}`,
			good:    `{"tree":{"name":"a","children":[{"name":"b","children":[{"name":"c"}]}]}}`,
			bad:     `{"tree":{"name":"a","children":[{"name":"b","children":[{"name":7}]}]}}`,
			badPath: "metadata.tree.children[0].children[0].name",
		},
		{
			name:    "binary tree through the root",
			schema:  `{"type":"object","properties":{"v":{"type":"integer"},"left":{"$ref":"#"},"right":{"$ref":"#"}}}`,
			good:    `{"v":1,"left":{"v":2,"right":{"v":3}}}`,
			bad:     `{"v":1,"left":{"v":2,"right":{"v":"3"}}}`,
			badPath: "metadata.left.right.v",
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
			got := metadataProblems(t, s, tt.bad)
			if len(got) != 1 || got[0].Path != tt.badPath {
				t.Errorf("bad metadata: %v, want one problem at %s", got, tt.badPath)
			}
		})
	}
	if _, err := CompileMetadataSchema(acmeSchema(t)); err != nil {
		t.Errorf("ACME schema: %v", err)
	}
}

// TestSchemaRecursiveFanOutRefused: a recursive schema that reaches itself
// twice at the same place of the instance doubles its work at every level
// of the metadata, however small it is once unrolled.
func TestSchemaRecursiveFanOutRefused(t *testing.T) {
	for name, schema := range map[string]string{
		"anyOf":             `{"$defs":{"t":{"properties":{"c":{"anyOf":[{"$ref":"#/$defs/t"},{"$ref":"#/$defs/t"}]}}}},"$ref":"#/$defs/t"}`,
		"through another":   `{"$defs":{"t":{"properties":{"c":{"allOf":[{"$ref":"#/$defs/u"},{"$ref":"#/$defs/u"}]}}},"u":{"$ref":"#/$defs/t"}},"$ref":"#/$defs/t"}`,
		"items and pattern": `{"properties":{"c":{"$ref":"#"}},"patternProperties":{"^c$":{"$ref":"#"}}}`,
		"in place":          `{"$defs":{"t":{"allOf":[{"$ref":"#/$defs/t"}]}},"$ref":"#/$defs/t"}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := CompileMetadataSchema([]byte(schema))
			if !errors.Is(err, ErrSchema) {
				t.Fatalf("CompileMetadataSchema = %v, want ErrSchema", err)
			}
		})
	}
}

// TestSchemaProblemsCapped: a validation reports at most MaxSchemaProblems
// problems against the schema, then one saying how many more there are.
func TestSchemaProblemsCapped(t *testing.T) {
	var props strings.Builder
	var md strings.Builder
	const n = MaxSchemaProblems + 25
	for i := range n {
		if i > 0 {
			props.WriteByte(',')
			md.WriteByte(',')
		}
		fmt.Fprintf(&props, `"k%d":{"type":"string"}`, i)
		fmt.Fprintf(&md, `"k%d":%d`, i, i)
	}
	s, err := CompileMetadataSchema([]byte(`{"properties":{` + props.String() + `}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := metadataProblems(t, s, `{`+md.String()+`}`)
	if len(got) != MaxSchemaProblems+1 {
		t.Fatalf("%d problems, want %d", len(got), MaxSchemaProblems+1)
	}
	if last := got[len(got)-1]; last != (pc{"metadata", CodeTooManyProblems}) {
		t.Errorf("last problem %v, want metadata %s", last, CodeTooManyProblems)
	}
	p := validLegal()
	q, _ := Decode([]byte(`{"metadata":{` + md.String() + `}}`))
	p.Metadata = q.Metadata
	var ve *ValidationError
	if !errors.As(NewValidator(Options{Metadata: s}).Validate(p), &ve) {
		t.Fatal("not a ValidationError")
	}
	if msg := ve.Problems[len(ve.Problems)-1].Message; !strings.Contains(msg, "25 more") {
		t.Errorf("last message %q does not say 25 more", msg)
	}
}

// FuzzCompileMetadataSchema: any schema either is refused with ErrSchema or
// compiles, and validating metadata against it never panics and reports at
// most MaxSchemaProblems+1 problems.
func FuzzCompileMetadataSchema(f *testing.F) {
	f.Add([]byte(fanOutSchema(3)), []byte(`{"x":1}`))
	f.Add([]byte(`{"type":"object","properties":{"v":{"type":"integer"},"left":{"$ref":"#"},"right":{"$ref":"#"}}}`), []byte(`{"v":1,"left":{"v":"2"}}`))
	f.Add([]byte(`{"$defs":{"t":{"properties":{"c":{"anyOf":[{"$ref":"#/$defs/t"},{"$ref":"#/$defs/t"}]}}}},"$ref":"#/$defs/t"}`), []byte(`{"c":{"c":1}}`))
	f.Fuzz(func(t *testing.T, schema, metadata []byte) {
		s, err := CompileMetadataSchema(schema)
		if err != nil {
			if !errors.Is(err, ErrSchema) {
				t.Fatalf("error %v does not wrap ErrSchema", err)
			}
			return
		}
		var md Object
		if md.UnmarshalJSON(metadata) != nil {
			return
		}
		p := validLegal()
		p.Metadata = md
		var ve *ValidationError
		if errors.As(NewValidator(Options{Metadata: s}).Validate(p), &ve) && len(ve.Problems) > MaxSchemaProblems+1 {
			t.Fatalf("%d problems", len(ve.Problems))
		}
	})
}
