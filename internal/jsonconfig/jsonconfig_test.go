package jsonconfig

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type threshold struct {
	Level string `json:"level"`
	From  int    `json:"from"`
}

type doc struct {
	Version    string      `json:"version"`
	Thresholds []threshold `json:"thresholds"`
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     Error
	}{
		{"unknown key", `{"version":"1","colour":1}`, Error{Problem: `unknown field "colour"`, Offset: 15}},
		{"nested unknown key", `{"thresholds":[{"level":"a"},{"levle":"b"}]}`, Error{Path: "thresholds[1]", Problem: `unknown field "levle"`, Offset: 30}},
		{"case folded key", `{"Version":"1"}`, Error{Problem: `unknown field "Version"`, Offset: 1}},
		{"wrong type", `{"thresholds":{"level":"a"}}`, Error{Path: "thresholds", Problem: "wrong type, want a list", Offset: 14}},
		{"wrong scalar", `{"thresholds":[{"from":"x"}]}`, Error{Path: "thresholds[0].from", Problem: "wrong type, want an integer in range", Offset: 23}},
		{"duplicate key", `{"thresholds":[{"from":1,"from":2}]}`, Error{Path: "thresholds[0]", Problem: `duplicate key "from"`, Offset: 25}},
		{"truncated", `{"version":`, Error{Problem: "unexpected end of JSON input"}},
		{"trailing data", `{} {}`, Error{Problem: "data after the JSON value", Offset: 2}},
		{"syntax", `{"version" 1}`, Error{Problem: "syntax error at offset 11", Offset: 11}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d doc
			err := Decode([]byte(tt.in), &d)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Decode = %v, want an *Error", err)
			}
			if diff := cmp.Diff(tt.want, *e); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	var d doc
	if err := Decode([]byte(` {"version":"1","thresholds":[{"level":"high","from":50}]} `), &d); err != nil {
		t.Fatal(err)
	}
	want := doc{Version: "1", Thresholds: []threshold{{Level: "high", From: 50}}}
	if diff := cmp.Diff(want, d); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
