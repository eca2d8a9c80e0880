package httpapi

import (
	"net/http"
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/kycsdk/kyc/profile"
)

// writeJSON writes v as application/json with status.
func (c *call) writeJSON(status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.writeRaw(status, mediaJSON, body)
}

func (c *call) writeRaw(status int, media string, body []byte) error {
	h := c.w.Header()
	h.Set("Content-Type", media)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	c.w.WriteHeader(status)
	_, err := c.w.Write(body)
	if err != nil {
		return nil // the client went away; the answer was decided
	}
	return nil
}

// writeProfile writes a profile in its seed-003 JSON with its version as the
// ETag.
func (c *call) writeProfile(status int, p *profile.Profile) error {
	body, err := profile.Encode(p)
	if err != nil {
		return err
	}
	c.w.Header().Set("ETag", etag(p.Version))
	return c.writeRaw(status, mediaJSON, body)
}

// encodeProfiles encodes each profile once, for a list body.
func encodeProfiles(ps []*profile.Profile) ([]jsontext.Value, error) {
	out := make([]jsontext.Value, len(ps))
	for i, p := range ps {
		b, err := profile.Encode(p)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// answer writes v as the 200 answer of an operation, or returns its err
// (with the current ETag when it lost a race: conflict).
func (c *call) answer(v any, err error) error {
	if err != nil {
		return c.conflict(err)
	}
	return c.writeJSON(http.StatusOK, v)
}

// nonNil returns s, or an empty slice for nil, so that a list is written
// as [], never null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (c *call) noContent() error {
	c.w.Header().Set("Cache-Control", "no-store")
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}
