package profile

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// MaxSchemaNodes bounds the expanded size of a tenant's metadata schema:
// the number of schema nodes reachable from its root when every "$ref"
// (and "$recursiveRef", "$dynamicRef") is replaced by the schema it names.
// A schema that reads as a few hundred bytes can name the same definition
// twice per level ("anyOf" of two "$ref"s) and so expand to 2^depth nodes;
// validating metadata against it costs as much, on every Create and Update
// (issue 16). CompileMetadataSchema refuses a schema past this bound, so
// the work of one validation is at most this many schema nodes per value of
// the metadata. Two thousand nodes leave room for a large tenant schema
// (hundreds of properties, shared definitions used many times; the draft-07
// meta-schema, recursive throughout, counts 107), and keep the worst
// validation near 10 ms.
const MaxSchemaNodes = 2000

// MaxSchemaProblems bounds the problems one validation reports against the
// metadata schema; past it, one last problem (CodeTooManyProblems) says how
// many more there were. A ValidationError stays readable, and its size is
// not set by the tenant's schema.
const MaxSchemaProblems = 100

// schemaSize measures a compiled schema as MaxSchemaNodes describes and
// refuses recursion that multiplies the work.
//
// A reference back to a schema that is being expanded (a cycle: a tree
// whose children are trees) is counted as one node and not expanded again:
// the recursion is paid once per level of the metadata, which the metadata
// itself bounds (MaxDepth, MaxInputSize). What one unrolling cannot show is
// a cycle that comes back to its schema twice at the same place of the
// instance ("c" holds an "anyOf" of two references to the tree): that
// doubles the work at every level of the metadata. So each cycle records
// the instance steps it descended (a property name, an array index, or
// "any" for additionalProperties, patternProperties, items and the like),
// and two cycles back to the same schema whose steps may name the same
// place are refused, as is a cycle that descends no step at all (it would
// never end). The test is conservative: "properties":{"c":{"$ref":"#"}}
// next to "additionalProperties":{"$ref":"#"} is refused although the two
// never apply to one member.
type schemaSize struct {
	nodes int
	steps []string                   // instance steps from the root to the current node
	path  []sizeFrame                // schemas being expanded, root first
	on    map[*jsonschema.Schema]int // index in path
	err   error
}

type sizeFrame struct {
	steps  int        // len(steps) when the schema was entered
	cycles [][]string // steps of the cycles back to it
}

// Steps of a keyword that may apply to any member or item, and of
// contentSchema (the decoded content of a string). A property's step is
// "p" and its name, an index's "i" and the index.
const (
	anyStep     = "*"
	contentStep = "c"
)

// checkSchemaSize returns nil when s is within MaxSchemaNodes and its
// recursion does not multiply, else the reason.
func checkSchemaSize(s *jsonschema.Schema) error {
	z := &schemaSize{on: make(map[*jsonschema.Schema]int)}
	z.visit(s)
	return z.err
}

func (z *schemaSize) visit(s *jsonschema.Schema) {
	if s == nil || z.err != nil {
		return
	}
	z.nodes++
	if z.nodes > MaxSchemaNodes {
		z.err = fmt.Errorf("the schema expands to more than %d nodes when its references are followed (MaxSchemaNodes)", MaxSchemaNodes)
		return
	}
	if i, ok := z.on[s]; ok {
		z.cycle(i)
		return
	}
	z.on[s] = len(z.path)
	z.path = append(z.path, sizeFrame{steps: len(z.steps)})
	z.children(s)
	z.path = z.path[:len(z.path)-1]
	delete(z.on, s)
}

// cycle records a reference back to path[i].
func (z *schemaSize) cycle(i int) {
	f := &z.path[i]
	steps := z.steps[f.steps:]
	if len(steps) == 0 {
		z.err = fmt.Errorf("a reference cycle at %s does not descend into the metadata", z.location())
		return
	}
	for _, c := range f.cycles {
		if sameLocation(c, steps) {
			z.err = fmt.Errorf("a recursion reaches its schema twice at %s, doubling the work at every level of the metadata", z.location())
			return
		}
	}
	f.cycles = append(f.cycles, slices.Clone(steps))
}

// location is the instance path of the current node, for the error text
// ("metadata.c[*]"): property names of the schema, never a value.
func (z *schemaSize) location() string {
	if len(z.steps) == 0 {
		return "the root"
	}
	b := "metadata"
	for _, s := range z.steps {
		switch {
		case s == anyStep:
			b += "[*]"
		case s == contentStep:
			b += "(content)"
		case s[0] == 'i':
			b += "[" + s[1:] + "]"
		default:
			b += "." + s[1:]
		}
	}
	return b
}

// sameLocation reports whether two step lists may name one place of an
// instance.
func sameLocation(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && a[i] != anyStep && b[i] != anyStep {
			return false
		}
	}
	return true
}

// children visits the subschemas of s: first those that apply to the same
// value, then those that apply to a member or an item, each under its step.
func (z *schemaSize) children(s *jsonschema.Schema) {
	for _, c := range []*jsonschema.Schema{s.Ref, s.RecursiveRef, s.DynamicRef, s.Not, s.If, s.Then, s.Else} {
		z.visit(c)
	}
	for _, list := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf} {
		for _, c := range list {
			z.visit(c)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.DependentSchemas)) {
		z.visit(s.DependentSchemas[k])
	}
	for _, k := range slices.Sorted(maps.Keys(s.Dependencies)) {
		if c, ok := s.Dependencies[k].(*jsonschema.Schema); ok {
			z.visit(c)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Properties)) {
		z.under("p"+k, s.Properties[k])
	}
	for _, c := range s.PatternProperties {
		z.under(anyStep, c)
	}
	z.under(anyStep, subschema(s.AdditionalProperties))
	z.under(anyStep, s.UnevaluatedProperties)
	z.under(anyStep, s.PropertyNames)
	switch items := s.Items.(type) {
	case *jsonschema.Schema:
		z.under(anyStep, items)
	case []*jsonschema.Schema:
		for i, c := range items {
			z.under("i"+strconv.Itoa(i), c)
		}
	}
	for i, c := range s.PrefixItems {
		z.under("i"+strconv.Itoa(i), c)
	}
	z.under(anyStep, s.Items2020)
	z.under(anyStep, subschema(s.AdditionalItems))
	z.under(anyStep, s.Contains)
	z.under(anyStep, s.UnevaluatedItems)
	z.under(contentStep, s.ContentSchema)
}

func (z *schemaSize) under(step string, s *jsonschema.Schema) {
	if s == nil {
		return
	}
	z.steps = append(z.steps, step)
	z.visit(s)
	z.steps = z.steps[:len(z.steps)-1]
}

// subschema is the schema of a keyword that holds a bool or a schema.
func subschema(v any) *jsonschema.Schema {
	s, _ := v.(*jsonschema.Schema)
	return s
}
