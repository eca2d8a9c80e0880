package storage

import "github.com/kycsdk/kyc/history"

// redactChanges keeps each change's operation, path and added or removed
// keys and drops every value.
func redactChanges(cs history.Changes) history.Changes {
	out := make(history.Changes, len(cs))
	for i, c := range cs {
		r := history.Change{Op: c.Op, Path: append(history.Path(nil), c.Path...)}
		for _, it := range c.Items {
			r.Items = append(r.Items, history.Item{Key: it.Key})
		}
		out[i] = r
	}
	return out
}
