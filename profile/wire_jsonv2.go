//go:build goexperiment.jsonv2

package profile

import "github.com/go-json-experiment/json/jsontext"

// wireProfile is wire.go's, with the fallback option as encoding/json/v2,
// which the library becomes under GOEXPERIMENT=jsonv2, names it.
type wireProfile struct {
	*wire
	Unknown map[string]jsontext.Value `json:",unknown"`
}
