// Package fieldpath resolves JSON names to the Go fields that hold them, as
// encoding/json names them, so that conditions (internal/condition) and
// risk factors (riskmatrix) read a *profile.Profile by the paths of its JSON
// document (`natural_person.name.first`, `metadata.segment`,
// `tenant_flag`) without encoding it.
//
// Start from Of, which returns the Fields of a struct type, computed once
// per type from its `json` tags and cached; Member reads one JSON member of
// any object value (decoded JSON, a map with string keys, profile.Object, a
// struct, through pointers and interfaces), and Resolve walks a path as far
// as the static types go, so that a compiled path reads fields by index.
//
// A struct that keeps the top-level keys it has no field for, as
// profile.Profile does in Unknown (a map of raw JSON by key), has those keys
// read as their decoded JSON. A list field reads as the list it is, even
// when empty or nil, never as None.
//
// Everything here is safe for concurrent use.
package fieldpath
