package workflow

import (
	"bytes"
	_ "embed"
)

//go:embed workflow.schema.json
var schemaJSON []byte

// Schema returns the JSON Schema (draft 2020-12) of the document this
// package loads, as published in the repository (workflow/workflow.schema.json). It
// checks the form; the loader also checks the meaning. The slice is new on
// every call.
func Schema() []byte { return bytes.Clone(schemaJSON) }
