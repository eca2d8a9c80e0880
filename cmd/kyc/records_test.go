package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/go-cmp/cmp"
)

// readAll reads every record of input, or the error that stopped it.
func readAll(input string) ([]string, error) {
	rd := newRecords(strings.NewReader(input))
	var out []string
	for {
		v, _, err := rd.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, string(v))
	}
}

func TestRecords(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string
		err   bool
	}{
		{"empty", "", nil, false},
		{"blank", " \n\n", nil, false},
		{"ndjson", "{\"a\":1}\n{\"b\":2}\n", []string{`{"a":1}`, `{"b":2}`}, false},
		{"ndjson without final newline", `{"a":1} {"b":2}`, []string{`{"a":1}`, `{"b":2}`}, false},
		{"array", "[\n{\"a\":1},\n{\"b\":2}\n]\n", []string{`{"a":1}`, `{"b":2}`}, false},
		{"empty array", "[]", nil, false},
		{"non-objects are records too", `1 "x" null`, []string{`1`, `"x"`, `null`}, false},
		{"truncated array", `[{"a":1},`, []string{`{"a":1}`}, true},
		{"truncated record", "{\"a\":1}\n{\"b\":", []string{`{"a":1}`}, true},
		{"data after the array", `[{"a":1}] {"b":2}`, []string{`{"a":1}`}, true},
		{"duplicate key", `{"a":1,"a":2}`, nil, true},
		{"garbage", `{"a":1} nope`, []string{`{"a":1}`}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(tt.input)
			if (err != nil) != tt.err {
				t.Fatalf("error %v, want an error: %v", err, tt.err)
			}
			if err != nil && !errors.Is(err, errRecordSyntax) {
				t.Errorf("error %v does not wrap errRecordSyntax", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzRecords checks that any input is read without a panic, that every
// record read is one valid JSON value, and that the records of NDJSON and
// of the same values in an array are the same.
func FuzzRecords(f *testing.F) {
	f.Add("{\"a\":1}\n{\"b\":[2,3]}\n")
	f.Add(`[{"a":1},{"b":2}]`)
	f.Add(`[1, "x", null, {"a": {"b": []}}]`)
	f.Add(`{"a":1}]`)
	f.Fuzz(func(t *testing.T, input string) {
		got, err := readAll(input)
		for _, r := range got {
			if !jsontext.Value(r).IsValid() {
				t.Fatalf("record %q is not valid JSON", r)
			}
		}
		if err != nil || len(got) == 0 || strings.HasPrefix(strings.TrimSpace(input), "[") {
			return
		}
		var arr bytes.Buffer
		arr.WriteString("[")
		arr.WriteString(strings.Join(got, ","))
		arr.WriteString("]")
		again, err := readAll(arr.String())
		if err != nil {
			t.Fatalf("the records as an array: %v", err)
		}
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("NDJSON and array differ (-ndjson +array):\n%s", diff)
		}
	})
}

func TestProgress(t *testing.T) {
	var b bytes.Buffer
	p := newProgress(&b, true, 1000, "imported")
	p.write(10, 500)
	p.finish(20, 1000)
	out := b.String()
	if !strings.HasPrefix(out, "\r[===============               ] imported 10 records") || !strings.Contains(out, ", 50%") ||
		!strings.Contains(out, "\r[==============================] imported 20 records") || !strings.HasSuffix(out, "\n") {
		t.Errorf("terminal progress: %q", out)
	}

	b.Reset()
	p = newProgress(&b, false, 0, "exported")
	p.write(7, 0)
	p.finish(7, 0)
	if out := b.String(); !strings.HasPrefix(out, "exported 7 records (") || strings.Count(out, "\n") != 1 || strings.Contains(out, "\r") {
		t.Errorf("plain progress: %q", out)
	}
}
