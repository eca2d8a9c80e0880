package profile

import (
	"bytes"
	"encoding/json"
)

// Object is free-form JSON (metadata, extra key-values). Numbers decode as
// json.Number so that their exact value survives a round trip, including
// integers above 2^53.
type Object map[string]any

// UnmarshalJSON decodes a JSON object keeping numbers exact.
func (o *Object) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return err
	}
	*o = m
	return nil
}
