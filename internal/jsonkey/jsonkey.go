// Package jsonkey finds the object key that encoding/json's
// Decoder.DisallowUnknownFields refuses.
//
// That error is a bare message: it has no type and no field, and the
// project never parses a library's error text (STYLE.md, 17). When a strict
// decode fails with it, Unknown walks the same input against the same Go
// type and names the key. Unknown keeps no state and is safe for concurrent
// use.
package jsonkey

import (
	"bytes"
	"cmp"
	"encoding"
	"encoding/json"
	"reflect"
	"strings"
)

// Unknown returns the first object key of data, in document order, that
// encoding/json would match to no field when decoding into a value of type
// t: no field has it as its JSON name, exactly or folding case. Values
// decoded by their own UnmarshalJSON or UnmarshalText, interfaces and map
// keys are not looked into. found is false when every key has a field or
// data is not valid JSON.
func Unknown(data []byte, t reflect.Type) (key string, found bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	key, found, err := walk(dec, t)
	return key, found && err == nil
}

var (
	anyType         = reflect.TypeFor[any]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// walk reads one value of type t from dec.
func walk(dec *json.Decoder, t reflect.Type) (string, bool, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Interface || decodesItself(t) {
		var skip json.RawMessage
		return "", false, dec.Decode(&skip)
	}
	tok, err := dec.Token()
	if err != nil {
		return "", false, err
	}
	switch tok {
	case json.Delim('{'):
		return walkObject(dec, t)
	case json.Delim('['):
		elem := anyType
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			elem = t.Elem()
		}
		for dec.More() {
			if key, found, err := walk(dec, elem); found || err != nil {
				return key, found, err
			}
		}
		_, err = dec.Token()
		return "", false, err
	}
	return "", false, nil
}

func walkObject(dec *json.Decoder, t reflect.Type) (string, bool, error) {
	var fields map[string]reflect.Type
	if t.Kind() == reflect.Struct {
		fields = fieldsOf(t)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", false, err
		}
		key, _ := tok.(string)
		vt := anyType
		switch t.Kind() {
		case reflect.Struct:
			ft, ok := field(fields, key)
			if !ok {
				return key, true, nil
			}
			vt = ft
		case reflect.Map:
			vt = t.Elem()
		}
		if key, found, err := walk(dec, vt); found || err != nil {
			return key, found, err
		}
	}
	_, err := dec.Token()
	return "", false, err
}

func decodesItself(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	return p.Implements(jsonUnmarshaler) || p.Implements(textUnmarshaler)
}

// fieldsOf maps the JSON names of t's fields, promoted ones included, to
// their types, as encoding/json names them.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for _, sf := range reflect.VisibleFields(t) {
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if sf.Anonymous && name == "" && derefKind(sf.Type) == reflect.Struct {
			continue // its fields are visible fields of their own
		}
		if !sf.IsExported() {
			continue
		}
		name = cmp.Or(name, sf.Name)
		if _, dup := out[name]; !dup {
			out[name] = sf.Type
		}
	}
	return out
}

func derefKind(t reflect.Type) reflect.Kind {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Kind()
}

// field finds key's field: the exact name first, then one that folds to it.
func field(fields map[string]reflect.Type, key string) (reflect.Type, bool) {
	if ft, ok := fields[key]; ok {
		return ft, true
	}
	for name, ft := range fields {
		if strings.EqualFold(name, key) {
			return ft, true
		}
	}
	return nil, false
}
