package httpapi

import (
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// mergePatch applies an RFC 7396 JSON Merge Patch to target: an object
// patch merges member by member (null removes), anything else replaces.
// Values are kept as raw JSON, so numbers keep their exact text.
func mergePatch(target, patch jsontext.Value) (jsontext.Value, error) {
	if patch.Kind() != '{' {
		return patch, nil
	}
	var members map[string]jsontext.Value
	if err := json.Unmarshal(patch, &members); err != nil {
		return nil, err
	}
	doc := map[string]jsontext.Value{}
	if target.Kind() == '{' {
		if err := json.Unmarshal(target, &doc); err != nil {
			return nil, err
		}
	}
	for k, v := range members {
		if v.Kind() == 'n' {
			delete(doc, k)
			continue
		}
		merged, err := mergePatch(doc[k], v)
		if err != nil {
			return nil, err
		}
		doc[k] = merged
	}
	return json.Marshal(doc, json.Deterministic(true))
}
