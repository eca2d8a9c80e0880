package entityprofile

import (
	"bytes"
	_ "embed"
)

//go:embed entityprofile.schema.json
var schemaJSON []byte

// Schema returns the JSON Schema (draft 2020-12) of the document this
// package loads, as published in the repository (entityprofile/entityprofile.schema.json). It
// checks the form; the loader also checks the meaning. The slice is new on
// every call.
func Schema() []byte { return bytes.Clone(schemaJSON) }
