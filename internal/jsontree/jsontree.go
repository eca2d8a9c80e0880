// Package jsontree reads a JSON value into the generic tree encoding/json
// decodes into an any (map[string]any, []any, string, bool, nil), with
// every number a json.Number holding its text, so that integers above 2^53
// and the digits of a decimal survive. It reads a jsontext.Decoder's
// tokens: the syntax, duplicate keys and UTF-8 are the decoder's to check.
// The functions are safe for concurrent use on different decoders.
package jsontree

import (
	"encoding/json"

	"github.com/go-json-experiment/json/jsontext"
)

// Read reads the next value of dec. The depth is bounded by the decoder
// (10,000 levels) and the caller's own limit checked beforehand.
func Read(dec *jsontext.Decoder) (any, error) {
	switch dec.PeekKind() {
	case '{':
		return readObject(dec)
	case '[':
		return readArray(dec)
	case '0':
		raw, err := dec.ReadValue()
		return json.Number(raw), err
	}
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, err
	}
	switch tok.Kind() {
	case '"':
		return tok.String(), nil
	case 't', 'f':
		return tok.Bool(), nil
	}
	return nil, nil
}

func readObject(dec *jsontext.Decoder) (map[string]any, error) {
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	m := map[string]any{}
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return nil, err
		}
		key := tok.String() // before the next read voids the token
		v, err := Read(dec)
		if err != nil {
			return nil, err
		}
		m[key] = v
	}
	_, err := dec.ReadToken()
	return m, err
}

func readArray(dec *jsontext.Decoder) ([]any, error) {
	if _, err := dec.ReadToken(); err != nil {
		return nil, err
	}
	list := []any{}
	for dec.PeekKind() != ']' {
		v, err := Read(dec)
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	_, err := dec.ReadToken()
	return list, err
}
