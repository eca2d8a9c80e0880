package storagetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// testGetJSON checks JSONGetter.GetJSON on the stores that have it: the
// bytes of GetRecord's Record.JSON and the stored version, for a profile
// stored with its JSON and one the store encoded, and after an update;
// ErrNotFound for a missing id, another tenant's id and a deleted profile;
// bytes the caller may change; and the errors of bad arguments and of a
// cancelled context.
func testGetJSON(t *testing.T, h *harness) {
	g, ok := h.s.(storage.JSONGetter)
	if !ok {
		t.Skip("the store reads a profile's JSON through GetRecord only")
	}
	tn, other := h.tenant(t), h.tenant(t)
	given := newProfile("given")
	data, err := profile.Encode(given)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: given, JSON: data}, creationEntry(given, "given-created")); err != nil {
		t.Fatal(err)
	}
	h.create(t, tn, newProfile("encoded"))
	h.create(t, other, newProfile("theirs"))
	h.wantJSON(t, g, tn, "given", 1)
	h.wantJSON(t, g, tn, "encoded", 1)
	if got, _, err := g.GetJSON(h.ctx, tn, "given"); err != nil || !bytes.Equal(got, data) {
		t.Errorf("GetJSON = %q, %v; want the bytes given to CreateProfile", got, err)
	}

	next := h.get(t, tn, "given")
	e := bump(next, "given-v2", "operator", ts(time.Hour))
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: next}, e); err != nil {
		t.Fatal(err)
	}
	h.wantJSON(t, g, tn, "given", 2)

	got, _, err := g.GetJSON(h.ctx, tn, "given")
	if err != nil {
		t.Fatal(err)
	}
	got[0] = '!' // a caller reusing the bytes
	h.wantJSON(t, g, tn, "given", 2)

	notFound := []struct{ what, tenant, id string }{
		{"a missing profile", tn, "missing"},
		{"another tenant's profile", tn, "theirs"},
		{"a profile from another tenant", other, "given"},
		{"a tenant that never wrote", h.tenant(t), "given"},
	}
	for _, c := range notFound {
		_, _, err := g.GetJSON(h.ctx, c.tenant, c.id)
		wantErr(t, "GetJSON of "+c.what, err, storage.ErrNotFound)
	}
	if err := h.s.DeleteProfile(h.ctx, tn, "encoded", storage.DeleteOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	_, _, err = g.GetJSON(h.ctx, tn, "encoded")
	wantErr(t, "GetJSON of a deleted profile", err, storage.ErrNotFound)

	_, _, err = g.GetJSON(h.ctx, "", "given")
	wantErr(t, "GetJSON with an empty tenant", err, storage.ErrInvalid)
	_, _, err = g.GetJSON(h.ctx, tn, "")
	wantErr(t, "GetJSON with an empty id", err, storage.ErrInvalid)
	cancelled, cancel := context.WithCancel(h.ctx)
	cancel()
	_, _, err = g.GetJSON(cancelled, tn, "given")
	wantErr(t, "GetJSON with a cancelled context", err, context.Canceled)

	h.getJSONWhileWriting(t, g, tn)
}

// wantJSON checks that GetJSON answers what GetRecord does for tenant and
// id, at version.
func (h *harness) wantJSON(t *testing.T, g storage.JSONGetter, tenant, id string, version int) {
	t.Helper()
	data, v, err := g.GetJSON(h.ctx, tenant, id)
	if err != nil {
		t.Fatalf("GetJSON(%s): %v", id, err)
	}
	r, err := h.s.GetRecord(h.ctx, tenant, id)
	if err != nil {
		t.Fatalf("GetRecord(%s): %v", id, err)
	}
	if !bytes.Equal(data, r.JSON) {
		t.Errorf("GetJSON(%s) = %q\nwant GetRecord's JSON %q", id, data, r.JSON)
	}
	if v != version || v != r.Profile.Version {
		t.Errorf("GetJSON(%s) version = %d; want %d, GetRecord's %d", id, v, version, r.Profile.Version)
	}
}

// getJSONWhileWriting reads a profile with GetJSON while another goroutine
// updates it: every read answers the bytes and the version of one and the
// same stored version, never the JSON of one with the version of another.
func (h *harness) getJSONWhileWriting(t *testing.T, g storage.JSONGetter, tn string) {
	const writes = 20
	p := newProfile("busy")
	h.create(t, tn, p)
	var (
		wg       sync.WaitGroup
		writeErr error
	)
	done := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		cur := p.Clone()
		for i := range writes {
			e := bump(cur, fmt.Sprintf("busy-v%d", cur.Version+1), "writer", ts(time.Duration(i+1)*time.Minute))
			if writeErr = h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: cur}, e); writeErr != nil {
				return
			}
		}
	}()
	reads := 0
	for last := false; !last; reads++ {
		select {
		case <-done:
			last = true // one read after the last write
		default:
		}
		data, v, err := g.GetJSON(h.ctx, tn, "busy")
		if err != nil {
			t.Fatalf("GetJSON while writing: %v", err)
		}
		var stored struct {
			Version int `json:"version"`
		}
		if err := json.Unmarshal(data, &stored); err != nil || stored.Version != v {
			t.Fatalf("GetJSON while writing: version %d with the JSON of version %d (%v)", v, stored.Version, err)
		}
		if last && v != writes+1 {
			t.Errorf("GetJSON after the writes: version %d, want %d", v, writes+1)
		}
	}
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("UpdateProfile: %v", writeErr)
	}
	t.Logf("%d reads while %d writes", reads, writes)
}
