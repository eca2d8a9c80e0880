// Package jsonconfig decodes the configuration documents of workflow,
// riskmatrix and entityprofile with go-json-experiment/json, strictly: a
// key no field has is refused (a misspelt key would otherwise be ignored),
// keys match case-sensitively, a repeated key and data after the value are
// refused. Its errors name the JSON path and the kind of problem, from the
// library's structured errors: never a Go type and never a value of the
// input. Decode is safe for concurrent use.
package jsonconfig

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

var options = json.RejectUnknownMembers(true)

// Decode decodes data, one JSON value, into v. Its error is an *Error.
func Decode(data []byte, v any) error {
	return decode(jsontext.NewDecoder(bytes.NewReader(data)), v)
}

// DecodeReader is Decode reading from r.
func DecodeReader(r io.Reader, v any) error {
	return decode(jsontext.NewDecoder(r), v)
}

func decode(dec *jsontext.Decoder, v any) error {
	if err := json.UnmarshalDecode(dec, v, options); err != nil {
		return describe(err)
	}
	end := dec.InputOffset()
	if _, err := dec.ReadToken(); !errors.Is(err, io.EOF) {
		return &Error{Problem: "data after the JSON value", Offset: end}
	}
	return nil
}

// Error is a document that does not decode: where (the JSON path, "" for
// the document itself, and the byte offset) and what kind of problem.
type Error struct {
	Path    string // as "thresholds[1].from"
	Problem string // as `unknown field "wieght"`, "wrong type, want a list"
	Offset  int64  // of the problem; for trailing data, the end of the value
}

// Error returns the problem after its path, when it is inside the
// document, as the packages' problems read: `factors[2]: unknown field
// "wieght"`.
func (e *Error) Error() string {
	if e.Path == "" {
		return e.Problem
	}
	return e.Path + ": " + e.Problem
}

// ValueError is what a type's UnmarshalText or UnmarshalJSONFrom returns
// for a value of the right kind that does not read (a duration that is not
// one): Decode reports its Problem at the value's path.
type ValueError struct {
	Problem string // as "is not an ISO 8601 duration such as P1Y"
}

func (e *ValueError) Error() string { return e.Problem }

func describe(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{Problem: "unexpected end of JSON input"}
	}
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		if errors.Is(se.Err, jsontext.ErrDuplicateName) {
			return &Error{Path: Path(se.JSONPointer.Parent()), Problem: fmt.Sprintf("duplicate key %q", se.JSONPointer.LastToken()), Offset: se.ByteOffset}
		}
		return &Error{Problem: "syntax error at offset " + strconv.FormatInt(se.ByteOffset, 10), Offset: se.ByteOffset}
	}
	var me *json.SemanticError
	if !errors.As(err, &me) {
		return &Error{Problem: "unexpected content"}
	}
	var ve *ValueError
	if errors.As(me.Err, &ve) {
		return &Error{Path: Path(me.JSONPointer), Problem: ve.Problem, Offset: me.ByteOffset}
	}
	if errors.Is(me.Err, json.ErrUnknownName) {
		return &Error{Path: Path(me.JSONPointer.Parent()), Problem: fmt.Sprintf("unknown field %q", me.JSONPointer.LastToken()), Offset: me.ByteOffset}
	}
	return &Error{Path: Path(me.JSONPointer), Problem: "wrong type, want " + Kind(me.GoType), Offset: me.ByteOffset}
}

// Path writes a JSON pointer as the packages of this module write paths:
// "/factors/2/weight" is "factors[2].weight"; a number token is read as
// an index, the only numbers the documents' keys never are.
func Path(ptr jsontext.Pointer) string {
	var b strings.Builder
	for tok := range ptr.Tokens() {
		if _, err := strconv.ParseUint(tok, 10, 64); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

// Kind names the JSON a Go type takes ("a list", "an object"), never
// the type: what an error says was wanted.
func Kind(t reflect.Type) string {
	if t == nil {
		return "another kind of value"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer in range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "another kind of value"
}

// LinePos returns the 1-based line and column (in bytes) of data[off],
// where the profile codecs' errors locate a problem.
func LinePos(data []byte, off int64) (line, col int) {
	off = max(0, min(off, int64(len(data))))
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}
