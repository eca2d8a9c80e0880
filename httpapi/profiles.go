package httpapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// listBody is the answer of GET /profiles: the page of seed 002 and the
// cursor of the next page.
type listBody struct {
	Profiles   []jsontext.Value `json:"profiles"`
	Page       pageBody         `json:"page"`
	NextCursor string           `json:"nextCursor,omitempty"`
}

type pageBody struct {
	Size          int `json:"size"`
	TotalElements int `json:"totalElements"`
	TotalPages    int `json:"totalPages"`
	Number        int `json:"number"`
}

func pageOf(pi storage.PageInfo) pageBody {
	return pageBody{Size: pi.Size, TotalElements: pi.TotalElements, TotalPages: pi.TotalPages, Number: pi.Number}
}

func listProfiles(c *call) error {
	q, err := profileQuery(c.r)
	if err != nil {
		return err
	}
	page, err := c.h.svc.List(c.r.Context(), c.op, q)
	if err != nil {
		return err
	}
	enc, err := encodeProfiles(page.Profiles)
	if err != nil {
		return err
	}
	return c.writeJSON(http.StatusOK, listBody{Profiles: enc, Page: pageOf(page.PageInfo), NextCursor: page.NextCursor})
}

func createProfile(c *call) error {
	if err := c.h.svc.Authorize(c.r.Context(), c.op, kyc.OpCreate); err != nil {
		return err
	}
	body, err := c.h.readBody(c.w, c.r, mediaJSON)
	if err != nil {
		return err
	}
	p, err := profile.DecodeStrict(body)
	if err != nil {
		return err
	}
	created, err := c.h.svc.Create(c.r.Context(), c.op, p)
	if err != nil {
		return err
	}
	c.w.Header().Set("Location", "profiles/"+created.ID)
	return c.writeProfile(http.StatusCreated, created)
}

// getProfile answers the stored JSON as it is (Service.GetJSON): the
// profile is not encoded again, which was a tenth of the request, nor,
// where the store keeps the bytes as given (memory, SQLite: see
// storage.JSONGetter), decoded, which was a third of the handler's
// in-process time.
func getProfile(c *call) error {
	body, version, err := c.h.svc.GetJSON(c.r.Context(), c.op, c.r.PathValue(pid))
	if err != nil {
		return err
	}
	tag := etag(version)
	c.w.Header().Set("ETag", tag)
	if c.r.Header.Get("If-None-Match") == tag {
		c.w.WriteHeader(http.StatusNotModified)
		return nil
	}
	return c.writeRaw(http.StatusOK, mediaJSON, body)
}

// patchProfile applies a JSON Merge Patch (RFC 7396) to the stored
// profile's JSON and updates it from the version If-Match names, through
// Service.UpdateJSON, which reads the stored record once and hands the
// version to the store: a write that came first makes this one fail (412),
// so two clients that read the same version never both win.
func patchProfile(c *call) error {
	opts, err := updateOptions(c)
	if err != nil {
		return err
	}
	base, err := ifMatch(c.r)
	if err != nil {
		return err
	}
	body, err := c.h.readBody(c.w, c.r, mediaMergePatch, mediaJSON)
	if err != nil {
		return err
	}
	edit := func(stored []byte) (*profile.Profile, error) {
		merged, err := mergePatch(stored, body)
		if err != nil {
			return nil, badRequest("the merge patch is not a JSON object")
		}
		return profile.DecodeStrict(merged)
	}
	updated, err := c.h.svc.UpdateJSON(c.r.Context(), c.op, c.r.PathValue(pid), base, edit, opts)
	if err != nil {
		return c.conflict(err)
	}
	return c.writeProfile(http.StatusOK, updated)
}

// updateOptions reads the reason and the re-verification mode of one
// update from the query (?reason=...&reverification=flag|refuse).
func updateOptions(c *call) (kyc.UpdateOptions, error) {
	q := c.r.URL.Query()
	opts := kyc.UpdateOptions{Reason: q.Get("reason")}
	ops := []kyc.Operation{kyc.OpUpdate}
	switch q.Get("reverification") {
	case "":
	case "flag":
		m := kyc.Flag
		opts.Reverification = &m
	case "refuse":
		m := kyc.Refuse
		opts.Reverification = &m
	default:
		return opts, invalidField("reverification", "enum", "flag or refuse")
	}
	if opts.Reverification != nil {
		ops = append(ops, kyc.OpOverrideReverification)
	}
	return opts, c.h.svc.Authorize(c.r.Context(), c.op, ops...)
}

// conflict adds the current version's ETag to a lost race (the store
// refused a write based on an older version), so that the client can re-read
// and retry.
func (c *call) conflict(err error) error {
	if !errors.Is(err, storage.ErrConflict) {
		return err
	}
	if p, gerr := c.h.svc.Get(c.r.Context(), c.op, c.r.PathValue(pid)); gerr == nil {
		c.w.Header().Set("ETag", etag(p.Version))
	}
	return err
}

// precondition authorizes the operations of a fact write and reads the
// version If-Match names, which the write then goes through writer with:
// the operation checks it in the same step as it writes (kyc.Service.Expect),
// so a stale If-Match, or a write that lands meanwhile, makes this one a
// 412 (with the current ETag, conflict) and never applies it to a version
// the client did not see. No read of its own: the operation's is the one
// that counts.
func (c *call) precondition(o ...kyc.Operation) error {
	if err := c.h.svc.Authorize(c.r.Context(), c.op, o...); err != nil {
		return err
	}
	base, err := ifMatch(c.r)
	if err != nil {
		return err
	}
	c.expect = base
	return nil
}

func deleteProfile(c *call) error {
	q := c.r.URL.Query()
	opts := kyc.DeleteOptions{Reason: q.Get("reason")}
	o := kyc.OpDelete
	switch q.Get("force") {
	case "", "false":
	case "true":
		opts.Force, o = true, kyc.OpForcedDelete
		if opts.Reason == "" {
			return invalidField("reason", "required", "a forced delete needs a reason")
		}
	default:
		return invalidField("force", "type", "true or false")
	}
	if err := c.precondition(o); err != nil {
		return err
	}
	// If-Match is checked by the store on the profile it deletes, in the
	// same step (storage.DeleteOptions.Version), so a write landing after
	// the client's read is never deleted unseen.
	if err := c.writer().Delete(c.r.Context(), c.op, c.r.PathValue(pid), opts); err != nil {
		return c.conflict(err)
	}
	return c.noContent()
}

// queryInt reads an optional non-negative integer parameter.
func queryInt(r *http.Request, name string) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, invalidField(name, "type", "a non-negative integer")
	}
	return n, nil
}

// queryTime reads an optional timestamp parameter in milliseconds since
// the Unix epoch, the wire format of the profile's times.
func queryTime(r *http.Request, name string) (profile.Timestamp, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, invalidField(name, "type", "milliseconds since the Unix epoch")
	}
	return profile.Timestamp(n), nil
}

// paramOfField names the query parameter of each storage.Query field, for
// a *storage.QueryError.
var paramOfField = map[string]string{
	"States": "state", "Risks": "risk", "PersonType": "person_type", "Label": "label",
	"CreatedFrom": "created_from", "CreatedUntil": "created_until",
	"ModifiedFrom": "modified_from", "ModifiedUntil": "modified_until",
	"DueBy": "due_by", "Text": "text", "Sort": "sort", "Size": "size",
	"Number": "page", "Cursor": "cursor",
}

// profileQuery reads every storage.Query filter from the query string.
func profileQuery(r *http.Request) (storage.Query, error) {
	v := r.URL.Query()
	q := storage.Query{
		States:     v["state"],
		Risks:      v["risk"],
		PersonType: profile.PersonType(v.Get("person_type")),
		Label:      v.Get("label"),
		Text:       v.Get("text"),
		Sort:       storage.Sort(v.Get("sort")),
		Cursor:     v.Get("cursor"),
	}
	var err error
	times := []struct {
		name string
		dst  *profile.Timestamp
	}{
		{"created_from", &q.CreatedFrom}, {"created_until", &q.CreatedUntil},
		{"modified_from", &q.ModifiedFrom}, {"modified_until", &q.ModifiedUntil},
		{"due_by", &q.DueBy},
	}
	for _, t := range times {
		if *t.dst, err = queryTime(r, t.name); err != nil {
			return q, err
		}
	}
	if q.Size, err = queryInt(r, "size"); err != nil {
		return q, err
	}
	if q.Number, err = queryInt(r, "page"); err != nil {
		return q, err
	}
	return q, nil
}
