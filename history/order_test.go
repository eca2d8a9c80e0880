package history

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kycsdk/kyc/internal/sharedtest"
)

// TestDocumentOrderVectors runs every pair of dictdiffer's own output on
// unsorted documents through DiffJSON, given the documents' bytes as they
// stand in the file: the changes must be dictdiffer's, order included
// (../shared/README.md), and must apply both ways.
func TestDocumentOrderVectors(t *testing.T) {
	var vs []vector
	if err := json.Unmarshal(sharedtest.Read(t, "testdata/history/dictdiffer-vectors-document-order.json"), &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			var want Changes
			if err := json.Unmarshal(v.Changes, &want); err != nil {
				t.Fatal(err)
			}
			got, err := DiffJSON(v.First, v.Second)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(want, got, numberComparer, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("DiffJSON (-want +got):\n%s", d)
			}
			if d := cmp.Diff(referenceDiffJSON(t, v.First, v.Second), got, numberComparer, cmpopts.EquateEmpty()); d != "" {
				t.Errorf("DiffJSON differs from the reference walk (-want +got):\n%s", d)
			}
			checkRoundTrip(t, got, stdDecode(t, v.First), stdDecode(t, v.Second))
		})
	}
}

// TestDiffJSONDocumentOrder pins the order of DiffJSON where it differs
// from Diff's sorted one.
func TestDiffJSONDocumentOrder(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want Changes
	}{
		{
			"common keys in the first's order, added in the second's, removed in the first's",
			`{"z":1,"gone2":0,"b":2,"m":{"y":1,"a":2},"gone1":0}`,
			`{"new2":0,"m":{"a":3,"y":2},"b":2,"z":4,"new1":0}`,
			Changes{
				{Op: OpChange, Path: Path{"z"}, Old: json.Number("1"), New: json.Number("4")},
				{Op: OpChange, Path: Path{"m", "y"}, Old: json.Number("1"), New: json.Number("2")},
				{Op: OpChange, Path: Path{"m", "a"}, Old: json.Number("2"), New: json.Number("3")},
				{Op: OpAdd, Items: []Item{{Key: "new2", Value: json.Number("0")}, {Key: "new1", Value: json.Number("0")}}},
				{Op: OpRemove, Items: []Item{{Key: "gone2", Value: json.Number("0")}, {Key: "gone1", Value: json.Number("0")}}},
			},
		},
		{
			"escaped keys are their decoded value",
			`{"\u0062":1,"a\"":2,"\u00e9":3}`,
			`{"b":2,"a\"":2,"é":3,"\ud83d\ude00":0}`,
			Changes{
				{Op: OpChange, Path: Path{"b"}, Old: json.Number("1"), New: json.Number("2")},
				{Op: OpAdd, Items: []Item{{Key: "😀", Value: json.Number("0")}}},
			},
		},
		{
			"a repeated key keeps its first position and its last value, as json.loads",
			`{"a":1,"b":1,"a":2}`,
			`{"b":2,"a":3}`,
			Changes{
				{Op: OpChange, Path: Path{"a"}, Old: json.Number("2"), New: json.Number("3")},
				{Op: OpChange, Path: Path{"b"}, Old: json.Number("1"), New: json.Number("2")},
			},
		},
		{
			"values in changes keep nothing of the order but their content",
			`{"l":[{"y":1,"x":2}]}`,
			`{"l":[]}`,
			Changes{{Op: OpRemove, Path: Path{"l"}, Items: []Item{{Key: 0, Value: map[string]any{"x": json.Number("2"), "y": json.Number("1")}}}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DiffJSON([]byte(tt.a), []byte(tt.b))
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got, numberComparer); d != "" {
				t.Errorf("DiffJSON (-want +got):\n%s", d)
			}
			if d := cmp.Diff(referenceDiffJSON(t, []byte(tt.a), []byte(tt.b)), got, numberComparer); d != "" {
				t.Errorf("DiffJSON differs from the reference walk (-want +got):\n%s", d)
			}
		})
	}
}

// TestDiffJSONLargeObjects covers objects above linearMax, whose keys are
// looked up and deduplicated through maps: the second document writes its
// keys in another order, repeats one, adds some and drops others.
func TestDiffJSONLargeObjects(t *testing.T) {
	object := func(keys []int, value func(k int) int, repeat int) []byte {
		var b strings.Builder
		b.WriteString("{")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `"k%d":%d`, k, value(k))
		}
		fmt.Fprintf(&b, `,"k%d":-1}`, repeat)
		return []byte(b.String())
	}
	var firstKeys, secondKeys []int
	for k := range 3 * linearMax {
		if k%7 != 0 {
			firstKeys = append(firstKeys, k)
		}
		if k%5 != 0 {
			secondKeys = append(secondKeys, (k*37)%(3*linearMax))
		}
	}
	a := object(firstKeys, func(k int) int { return k }, firstKeys[3])
	b := object(secondKeys, func(k int) int { return k + k%3 }, secondKeys[len(secondKeys)-2])
	got, err := DiffJSON(a, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("no changes")
	}
	if d := cmp.Diff(referenceDiffJSON(t, a, b), got, numberComparer); d != "" {
		t.Errorf("DiffJSON differs from the reference walk (-want +got):\n%s", d)
	}
	first, second := stdDecode(t, a), stdDecode(t, b)
	sameChangesAnyOrder(t, Diff(first, second), got)
	checkRoundTrip(t, got, first, second)
}

// sameChangesAnyOrder fails unless want and got hold the same changes,
// whatever the order of the changes and of the keys of an object's add or
// remove: what DiffJSON and Diff share.
func sameChangesAnyOrder(t testing.TB, want, got Changes) {
	t.Helper()
	if d := cmp.Diff(canonicalText(t, want), canonicalText(t, got)); d != "" {
		t.Errorf("changes differ beyond their order (-want +got):\n%s", d)
	}
}

func canonicalText(t testing.TB, c Changes) []string {
	t.Helper()
	out := make([]string, len(c))
	for i, ch := range c {
		items := slices.Clone(ch.Items)
		slices.SortStableFunc(items, func(x, y Item) int {
			xs, _ := x.Key.(string)
			ys, _ := y.Key.(string)
			return strings.Compare(xs, ys)
		})
		ch.Items = items
		enc, err := ch.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(enc)
	}
	slices.Sort(out)
	return out
}

// orderedObject is a JSON object as Python's json.loads reads it: keys in
// the order of the text, a repeated key at its first place with its last
// value.
type orderedObject struct {
	keys []string
	vals map[string]any
}

// orderedDecode decodes data with encoding/json's token stream, which keeps
// the order of the text, independently of the trees of DiffJSON.
func orderedDecode(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		o := &orderedObject{vals: map[string]any{}}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := orderedDecode(dec)
			if err != nil {
				return nil, err
			}
			key := k.(string)
			if _, ok := o.vals[key]; !ok {
				o.keys = append(o.keys, key)
			}
			o.vals[key] = v
		}
		_, err := dec.Token()
		return o, err
	case json.Delim('['):
		list := []any{}
		for dec.More() {
			v, err := orderedDecode(dec)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		_, err := dec.Token()
		return list, err
	}
	return tok, nil
}

// plain turns an ordered value into the decoded form of Diff.
func plain(v any) any {
	switch x := v.(type) {
	case *orderedObject:
		m := make(map[string]any, len(x.keys))
		for _, k := range x.keys {
			m[k] = plain(x.vals[k])
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	}
	return v
}

// referenceDiffJSON is dictdiffer's _diff_recursive transcribed line for
// line (intersection, addition and deletion of a dict in the orders of its
// list comprehensions) over orderedDecode's values: the oracle of DiffJSON's
// order.
func referenceDiffJSON(t testing.TB, a, b []byte) Changes {
	t.Helper()
	decode := func(data []byte) any {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		v, err := orderedDecode(dec)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			t.Fatalf("data after the top-level value: %v", err)
		}
		return v
	}
	var out Changes
	referenceDiff(&out, nil, decode(a), decode(b))
	return out
}

func referenceDiff(out *Changes, node Path, first, second any) {
	at := func(k any) Path { return append(slices.Clip(node), k) }
	fo, ok1 := first.(*orderedObject)
	so, ok2 := second.(*orderedObject)
	if ok1 && ok2 {
		var addition, deletion []Item
		for _, k := range fo.keys {
			if _, ok := so.vals[k]; ok {
				referenceDiff(out, at(k), fo.vals[k], so.vals[k])
			} else {
				deletion = append(deletion, Item{Key: k, Value: plain(fo.vals[k])})
			}
		}
		for _, k := range so.keys {
			if _, ok := fo.vals[k]; !ok {
				addition = append(addition, Item{Key: k, Value: plain(so.vals[k])})
			}
		}
		referenceAddRemove(out, node, addition, deletion)
		return
	}
	fl, ok1 := first.([]any)
	sl, ok2 := second.([]any)
	if ok1 && ok2 {
		common := min(len(fl), len(sl))
		for i := range common {
			referenceDiff(out, at(i), fl[i], sl[i])
		}
		var addition, deletion []Item
		for i := common; i < len(sl); i++ {
			addition = append(addition, Item{Key: i, Value: plain(sl[i])})
		}
		for i := len(fl) - 1; i >= common; i-- {
			deletion = append(deletion, Item{Key: i, Value: plain(fl[i])})
		}
		referenceAddRemove(out, node, addition, deletion)
		return
	}
	if !Equal(plain(first), plain(second)) {
		*out = append(*out, Change{Op: OpChange, Path: node, Old: plain(first), New: plain(second)})
	}
}

func referenceAddRemove(out *Changes, node Path, addition, deletion []Item) {
	if len(addition) > 0 {
		*out = append(*out, Change{Op: OpAdd, Path: node, Items: addition})
	}
	if len(deletion) > 0 {
		*out = append(*out, Change{Op: OpRemove, Path: node, Items: deletion})
	}
}
