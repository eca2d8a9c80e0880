package profile

import (
	"encoding/json"
	"errors"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/kycsdk/kyc/internal/jsontree"
)

// Object is free-form JSON (metadata, extra key-values). Numbers decode as
// json.Number so that their exact value survives a round trip, including
// integers above 2^53.
type Object map[string]any

// MarshalJSONTo writes the object with its keys sorted and its json.Number
// values as written. A value that is not JSON (a NaN, a channel, an
// invalid json.Number) is an *objectError with the object's path, which
// Encode turns into a validation problem.
func (o Object) MarshalJSONTo(enc *jsontext.Encoder) error {
	if o == nil {
		return enc.WriteToken(jsontext.Null)
	}
	at := enc.StackPointer()
	if err := jsonv2.MarshalEncode(enc, map[string]any(o), objectEncodeOptions); err != nil {
		return &objectError{at: at, err: err}
	}
	return nil
}

// UnmarshalJSONFrom reads a JSON object keeping numbers exact; null is the
// nil Object.
func (o *Object) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	switch dec.PeekKind() {
	case 'n':
		_, err := dec.ReadToken()
		*o = nil
		return err
	case '{':
		v, err := jsontree.Read(dec)
		if err != nil {
			return err
		}
		*o = v.(map[string]any)
		return nil
	}
	return errNotObject
}

var errNotObject = errors.New("profile: metadata is not a JSON object")

// MarshalJSON writes the object as MarshalJSONTo does, for encoding/json.
func (o Object) MarshalJSON() ([]byte, error) {
	return jsonv2.Marshal(o, objectEncodeOptions)
}

// UnmarshalJSON decodes a JSON object keeping numbers exact, for
// encoding/json.
func (o *Object) UnmarshalJSON(data []byte) error {
	return jsonv2.Unmarshal(data, o, decodeOptions)
}

// objectError is an Object that could not be encoded; at is its JSON
// pointer in the output.
type objectError struct {
	at  jsontext.Pointer
	err error
}

func (e *objectError) Error() string { return "profile: object holds a value that is not JSON" }
func (e *objectError) Unwrap() error { return e.err }

// numberMarshaler writes a json.Number as the number it holds, as
// encoding/json does (an empty one is 0), instead of as a string.
var numberMarshaler = jsonv2.MarshalToFunc(func(enc *jsontext.Encoder, n json.Number) error {
	if n == "" {
		n = "0"
	}
	v := jsontext.Value(n)
	if v.Kind() != '0' || !v.IsValid() {
		return errInvalidNumber
	}
	return enc.WriteValue(v)
})

var errInvalidNumber = errors.New("profile: invalid json.Number")
