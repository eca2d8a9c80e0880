package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// MetadataSchema is a tenant's compiled JSON Schema for Profile.Metadata
// (seed 003, 3.1.9). It is immutable and safe for concurrent use.
type MetadataSchema struct {
	schema *jsonschema.Schema
}

// metadataSchemaURL names the schema while it compiles; a "$id" inside the
// schema takes precedence for resolving its own references.
const metadataSchemaURL = "mem:///metadata.schema.json"

// CompileMetadataSchema compiles a tenant's JSON Schema once. The draft is
// picked by the schema's "$schema" (draft 4, 6, 7, 2019-09 or 2020-12; seed
// 003, 3.1.9 asks for draft 4 or later), 2020-12 when it is absent.
// References are resolved only inside the schema: nothing is fetched from
// the network or read from disk. An error wraps ErrSchema and gives the
// reason. A schema whose expanded size passes MaxSchemaNodes, or whose
// recursion multiplies at each level of the metadata, is refused (see
// MaxSchemaNodes).
func CompileMetadataSchema(schema []byte) (*MetadataSchema, error) {
	if len(schema) > MaxInputSize {
		return nil, fmt.Errorf("%w: schema over %d bytes", ErrSchema, MaxInputSize)
	}
	if jsonDepth(schema) > MaxDepth {
		return nil, fmt.Errorf("%w: nested deeper than %d levels", ErrSchema, MaxDepth)
	}
	c := jsonschema.NewCompiler()
	c.LoadURL = refuseLoad
	if err := c.AddResource(metadataSchemaURL, bytes.NewReader(schema)); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrSchema, schemaReason(err))
	}
	s, err := c.Compile(metadataSchemaURL)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrSchema, schemaReason(err))
	}
	if err := checkSchemaSize(s); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrSchema, err)
	}
	return &MetadataSchema{schema: s}, nil
}

// refuseLoad keeps a tenant schema from reading files or URLs through
// "$ref" or an unknown "$schema".
func refuseLoad(url string) (io.ReadCloser, error) {
	return nil, fmt.Errorf("loading %s is not allowed: a metadata schema must be self-contained", url)
}

// schemaReason is the compiler's reason without the internal URL.
func schemaReason(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "jsonschema "+metadataSchemaURL+" compilation failed: ")
	msg = strings.TrimPrefix(msg, "jsonschema: ")
	return strings.ReplaceAll(msg, metadataSchemaURL, "schema")
}

// problems validates metadata and returns its problems with paths under
// "metadata", at most MaxSchemaProblems of them and then one that counts
// the rest. The schema's messages are not used: a "format" or "const"
// message can quote the value.
func (m *MetadataSchema) problems(md Object) []Problem {
	v, ok := jsonValue(md)
	if !ok {
		return []Problem{{Path: "metadata", Code: CodeMetadataNotJSON, Message: "holds a value that is not JSON"}}
	}
	err := m.schema.Validate(v)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Problem{{Path: "metadata", Code: CodeSchema, Message: "cannot be checked against the tenant schema"}}
	}
	var l leafList
	l.collect(ve)
	out := make([]Problem, 0, len(l.leaves)+1)
	for _, leaf := range l.leaves {
		out = append(out, Problem{
			Path:    "metadata" + instancePath(v, leaf.InstanceLocation),
			Code:    CodeSchema,
			Message: "does not satisfy the tenant schema (" + keyword(leaf.KeywordLocation) + ")",
		})
	}
	if l.more > 0 {
		out = append(out, Problem{
			Path:    "metadata",
			Code:    CodeTooManyProblems,
			Message: "and " + strconv.Itoa(l.more) + " more problems against the tenant schema",
		})
	}
	return out
}

// leafList keeps the first MaxSchemaProblems leaves of an error tree and
// counts the others. A leaf with the place and keyword of an earlier one is
// the same problem reached through another branch ("anyOf" of two
// references to one definition) and is not repeated.
type leafList struct {
	leaves []*jsonschema.ValidationError
	seen   map[[2]string]bool
	more   int
}

func (l *leafList) collect(ve *jsonschema.ValidationError) {
	if len(ve.Causes) > 0 {
		for _, c := range ve.Causes {
			l.collect(c)
		}
		return
	}
	key := [2]string{ve.InstanceLocation, keyword(ve.KeywordLocation)}
	if l.seen[key] {
		return
	}
	if l.seen == nil {
		l.seen = make(map[[2]string]bool)
	}
	l.seen[key] = true
	if len(l.leaves) < MaxSchemaProblems {
		l.leaves = append(l.leaves, ve)
		return
	}
	l.more++
}

// keyword is the last keyword of a keyword location ("/properties/accounts/
// minItems" gives "minItems").
func keyword(loc string) string {
	if i := strings.LastIndexByte(loc, '/'); i >= 0 && i+1 < len(loc) {
		return loc[i+1:]
	}
	return "schema"
}

// instancePath turns a JSON Pointer into the package's path syntax
// (".accounts[1]"), walking v to tell array indexes from object keys.
func instancePath(v any, ptr string) string {
	if ptr == "" {
		return ""
	}
	var b strings.Builder
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch node := v.(type) {
		case []any:
			i, _ := strconv.Atoi(tok)
			b.WriteString("[" + tok + "]")
			if i >= 0 && i < len(node) {
				v = node[i]
			}
		case map[string]any:
			b.WriteString("." + tok)
			v = node[tok]
		default:
			b.WriteString("." + tok)
		}
	}
	return b.String()
}

// jsonValue returns metadata as the plain JSON values the schema library
// accepts. Decoded metadata already is; metadata built in Go may hold other
// types (a nested Object, a []string), which go through a JSON round trip.
func jsonValue(md Object) (any, bool) {
	m := map[string]any(md)
	if isPlainJSON(m, 0) {
		return m, true
	}
	data, err := json.Marshal(m)
	if err != nil {
		return nil, false
	}
	var o Object
	if err := o.UnmarshalJSON(data); err != nil {
		return nil, false
	}
	return map[string]any(o), true
}

func isPlainJSON(v any, level int) bool {
	if level > MaxDepth {
		return false
	}
	switch x := v.(type) {
	case nil, bool, string, float64:
		return true
	case json.Number:
		return isNumberLiteral(string(x))
	case []any:
		for _, e := range x {
			if !isPlainJSON(e, level+1) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range x {
			if !isPlainJSON(e, level+1) {
				return false
			}
		}
		return true
	}
	return false
}

// isNumberLiteral reports whether s is a JSON number (not "0x10", "NaN" or
// "true", which a json.Number built in Go may hold).
func isNumberLiteral(s string) bool {
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	return json.Valid([]byte(s))
}
