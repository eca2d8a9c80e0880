package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-json-experiment/json/jsontext"
)

// records reads a stream of JSON records one at a time: either NDJSON (one
// value after another, whitespace between) or one JSON array of values.
// Only the record being read is in memory, so the size of the input does
// not matter.
type records struct {
	dec   *jsontext.Decoder
	array bool // the input is an array and its '[' has been read
	begun bool
	done  bool
	n     int64 // records read so far
}

func newRecords(r io.Reader) *records {
	return &records{dec: jsontext.NewDecoder(r)}
}

// errRecordSyntax wraps a JSON syntax error in the input: the stream
// cannot be read past it.
var errRecordSyntax = errors.New("malformed JSON")

// next returns the next record and the byte offset where it starts, or
// io.EOF after the last one. The bytes are the caller's to keep.
func (r *records) next() ([]byte, int64, error) {
	if r.done {
		return nil, 0, io.EOF
	}
	if !r.begun {
		r.begun = true
		if r.dec.PeekKind() == '[' {
			if _, err := r.dec.ReadToken(); err != nil {
				return nil, 0, r.syntax(err)
			}
			r.array = true
		}
	}
	if r.array && r.dec.PeekKind() == ']' {
		if _, err := r.dec.ReadToken(); err != nil {
			return nil, 0, r.syntax(err)
		}
		// Nothing but whitespace may follow the array.
		if _, err := r.dec.ReadValue(); err != io.EOF {
			return nil, 0, fmt.Errorf("%w: offset %d: data after the closing ] of the array", errRecordSyntax, r.dec.InputOffset())
		}
		r.done = true
		return nil, 0, io.EOF
	}
	offset := r.dec.InputOffset()
	v, err := r.dec.ReadValue()
	if err == io.EOF && !r.array {
		r.done = true
		return nil, 0, io.EOF
	}
	if err != nil {
		return nil, 0, r.syntax(err)
	}
	r.n++
	return bytes.Clone(v), offset, nil
}

// syntax names where the stream broke, by record and byte offset; the
// decoder's error says what it found there and never quotes the input
// beyond a token.
func (r *records) syntax(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return fmt.Errorf("%w: record %d: unexpected end of input", errRecordSyntax, r.n+1)
	}
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		return fmt.Errorf("%w: record %d, offset %d: %v", errRecordSyntax, r.n+1, se.ByteOffset, se.Err)
	}
	return fmt.Errorf("record %d: %w", r.n+1, err)
}
