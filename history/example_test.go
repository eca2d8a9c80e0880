package history_test

import (
	"encoding/json"
	"fmt"

	"github.com/kycsdk/kyc/history"
)

func ExampleDiffJSON() {
	v1 := []byte(`{"name":"Araoz S.R.L.","version":1,"legal_person":{"is_listed_on_stock_exchange":false},"labels":["vip","new"]}`)
	v2 := []byte(`{"name":"Araoz S.R.L.","version":2,"legal_person":{"is_listed_on_stock_exchange":false,"constitution":"horizontal_property_consortium"},"labels":["vip"]}`)
	changes, err := history.DiffJSON(v1, v2)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := json.Marshal(changes)
	fmt.Println(string(out))
	fmt.Println(changes.Paths())
	// Output:
	// [["change","version",[1,2]],["add","legal_person",[["constitution","horizontal_property_consortium"]]],["remove","labels",[[1,"new"]]]]
	// [version legal_person.constitution labels[1]]
}

func ExamplePatch() {
	var doc any
	_ = json.Unmarshal([]byte(`{"risk":"low","contacts":[]}`), &doc)
	var changes history.Changes
	_ = json.Unmarshal([]byte(`[["add","contacts",[[0,{"contact_type":"email"}]]],["change","risk",["low","high"]]]`), &changes)

	patched, err := history.Patch(changes, doc)
	fmt.Println(patched, err)
	back, err := history.Revert(changes, patched)
	fmt.Println(back, err)

	// A change recorded against another value does not apply.
	_, err = history.Patch(changes, patched)
	fmt.Println(err)
	// Output:
	// map[contacts:[map[contact_type:email]] risk:high] <nil>
	// map[contacts:[] risk:low] <nil>
	// history: change 1 at risk: value differs from the recorded one
}

func ExampleRebuild() {
	v1 := map[string]any{"state": "creating", "version": 1}
	v2 := map[string]any{"state": "review", "version": 2}
	v3 := map[string]any{"state": "approved", "version": 3}
	// Newest first, as storage lists them; any order works.
	entries := []history.Entry{
		{Version: 2, CreatedBy: "checker", Changes: history.Diff(v2, v3)},
		{Version: 1, CreatedBy: "maker", Changes: history.Diff(v1, v2)},
	}
	doc, err := history.Rebuild(v3, 3, entries, 1)
	fmt.Println(doc, err)
	// Output:
	// map[state:creating version:1] <nil>
}

func ExampleEntry_Render() {
	var e history.Entry
	_ = json.Unmarshal([]byte(`{"id":"h1","orig_id":"60d62ea15857d9d371b6d4d3","created_at":1624648551709,
		"created_by":"operador","version":1,"changes":[
		["change","name",["John Doe","John A. Doe"]],
		["add","contacts",[[2,{"contact_type":"mobile","value":"+5493414000000"}]]]]}`), &e)
	fmt.Println(e.Render(history.RenderOptions{}))
	fmt.Println(e.Render(history.RenderOptions{Mask: true}))
	// Output:
	// v1 → v2 by operador at 2021-06-25T19:15:51.709Z
	//   name: "John Doe" → "John A. Doe"
	//   contacts[2] added: {"contact_type":"mobile","value":"+5493414000000"}
	// v1 → v2 by operador at 2021-06-25T19:15:51.709Z
	//   name changed
	//   contacts[2] added
}
