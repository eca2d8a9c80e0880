//go:build !goexperiment.jsonv2

package profile

import "github.com/go-json-experiment/json/jsontext"

// wireProfile is the profile on the wire: its fields in the order of
// types.go, then the keys of Unknown, the fallback that collects every
// top-level member no field takes. The library names that option "embed";
// under GOEXPERIMENT=jsonv2 it is encoding/json/v2, which names it
// "unknown" (wire_jsonv2.go).
type wireProfile struct {
	*wire
	Unknown map[string]jsontext.Value `json:",embed"`
}
