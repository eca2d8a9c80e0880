package jsonkey_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/kycsdk/kyc/internal/jsonkey"
)

type inner struct {
	Kept string `json:"kept"`
	Skip string `json:"-"`
}

type base struct {
	Promoted int `json:"promoted"`
}

type outer struct {
	base
	Name    string           `json:"name"`
	Plain   int              // named by its Go name
	Inner   *inner           `json:"inner"`
	List    []inner          `json:"list"`
	ByKey   map[string]inner `json:"by_key"`
	Any     any              `json:"any"`
	When    time.Time        `json:"when"`
	private int
}

func TestUnknown(t *testing.T) {
	tests := []struct {
		name, data, want string
		found            bool
	}{
		{"all known", `{"name":"a","Plain":1,"promoted":2,"inner":{"kept":"x"},"list":[{"kept":"y"}],"by_key":{"k":{"kept":"z"}},"any":{"whatever":1},"when":"2024-01-01T00:00:00Z"}`, "", false},
		{"case folded", `{"NAME":"a","plain":1,"Inner":{"KEPT":"x"}}`, "", false},
		{"top level", `{"name":"a","nmae":"b"}`, "nmae", true},
		{"nested", `{"inner":{"kept":"x","extra":1}}`, "extra", true},
		{"in a list", `{"list":[{"kept":"x"},{"oops":2}]}`, "oops", true},
		{"in a map value", `{"by_key":{"k":{"nope":1}}}`, "nope", true},
		{"first in document order", `{"list":[{"b":1}],"a":2}`, "b", true},
		{"a dash field is unknown", `{"inner":{"Skip":"x"}}`, "Skip", true},
		{"unexported field is unknown", `{"private":1}`, "private", true},
		{"list of objects", `[{"name":"a"},{"x":1}]`, "x", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typ := reflect.TypeFor[outer]()
			if tt.data[0] == '[' {
				typ = reflect.TypeFor[[]outer]()
			}
			key, found := jsonkey.Unknown([]byte(tt.data), typ)
			if key != tt.want || found != tt.found {
				t.Errorf("Unknown = %q, %v; want %q, %v", key, found, tt.want, tt.found)
			}
			// The oracle: encoding/json refuses exactly these inputs.
			dec := json.NewDecoder(bytes.NewReader([]byte(tt.data)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(reflect.New(typ).Interface()); (err != nil) != tt.found {
				t.Errorf("encoding/json: error %v, want one: %v", err, tt.found)
			}
		})
	}
}
