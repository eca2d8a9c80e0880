package httpapi

import (
	"net/http"
	"strconv"

	"github.com/kycsdk/kyc/storage"
)

// changesBody answers GET /changes: the events after the consumer's
// position, oldest first, and the position to ask from next (the last
// event's, or the one asked from when there is none), so that a pull
// consumer loops on next without reading the events' fields.
type changesBody struct {
	Events []storage.Event `json:"events"`
	Next   int64           `json:"next"`
}

// changes serves the change feed to pull consumers (Service.Changes,
// OpChanges): ?after=N is the last position the consumer has handled (0
// for the start of the feed), ?limit=M the most events wanted (default
// storage.DefaultChanges, at most storage.MaxChanges). An event carries
// ids, kinds, moments and paths, never a value: a consumer that needs the
// profile reads it, under its own permission.
func changes(c *call) error {
	q := c.r.URL.Query()
	var after int64
	if s := q.Get("after"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return invalidField("after", "type", "a feed position from 0")
		}
		after = n
	}
	limit, err := queryInt(c.r, "limit")
	if err != nil {
		return err
	}
	if limit > storage.MaxChanges {
		return invalidField("limit", "maximum", "at most "+strconv.Itoa(storage.MaxChanges)+" events")
	}
	events, err := c.h.svc.Changes(c.r.Context(), c.op, after, limit)
	if err != nil {
		return err
	}
	b := changesBody{Events: nonNil(events), Next: after}
	if n := len(b.Events); n > 0 {
		b.Next = b.Events[n-1].Position
	}
	return c.writeJSON(http.StatusOK, b)
}
