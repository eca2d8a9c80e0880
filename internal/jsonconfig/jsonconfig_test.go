package jsonconfig

import (
	"errors"
	"slices"
	"strings"
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

// FuzzDecode: every failure is an *Error whose problem is one of the
// package's kinds, never the library's text (which names Go types and can
// quote values).
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"version":"1","thresholds":[{"level":"high","from":50}]}`))
	f.Add([]byte(`{"thresholds":[{"from":"secret"}]}`))
	f.Add([]byte(`{"version":"1","version":"2"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		err := Decode(data, &d)
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Decode = %v, want an *Error", err)
		}
		kinds := []string{"unknown field ", "duplicate key ", "wrong type, want ", "syntax error at offset ",
			"unexpected end of JSON input", "data after the JSON value", "unexpected content"}
		if !slices.ContainsFunc(kinds, func(k string) bool { return strings.HasPrefix(e.Problem, k) }) {
			t.Fatalf("problem %q is of no known kind", e.Problem)
		}
	})
}
