package storagetest

import (
	"bytes"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// testRecords checks the record form of the contract: GetRecord returns
// the stored profile with its encoding, profile.Encode; a Record given
// with its JSON is stored as those bytes; and bytes a caller changes after
// a call, given or returned, change nothing stored.
func testRecords(t *testing.T, h *harness) {
	tn := h.tenant(t)
	p := newProfile("p1")
	data, err := profile.Encode(p)
	if err != nil {
		t.Fatal(err)
	}
	given := bytes.Clone(data)
	if err := h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: p, JSON: given}, nil); err != nil {
		t.Fatal(err)
	}
	given[0] = '!' // a caller reusing its buffer

	r, err := h.s.GetRecord(h.ctx, tn, "p1")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(r.JSON, data) {
		t.Errorf("GetRecord JSON = %q, want the profile's encoding, as given to CreateProfile", r.JSON)
	}
	if enc, err := profile.Encode(r.Profile); err != nil || !bytes.Equal(r.JSON, enc) {
		t.Errorf("GetRecord JSON is not the encoding of its profile (%v)", err)
	}
	if d := cmp.Diff(p, r.Profile, profileOpts); d != "" {
		t.Errorf("GetRecord profile (-want +got):\n%s", d)
	}
	if d := cmp.Diff(h.get(t, tn, "p1"), r.Profile, profileOpts); d != "" {
		t.Errorf("GetRecord and GetProfile disagree (-get +record):\n%s", d)
	}
	r.JSON[0] = '!'
	if again, err := h.s.GetRecord(h.ctx, tn, "p1"); err != nil || !bytes.Equal(again.JSON, data) {
		t.Errorf("stored JSON changed through a returned record: %q, %v", again.JSON, err)
	}

	next := r.Profile.Clone()
	e := bump(next, "p1-v2", "operator", ts(time.Hour))
	nextData, err := profile.Encode(next)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: next, JSON: nextData}, e); err != nil {
		t.Fatal(err)
	}
	if got, err := h.s.GetRecord(h.ctx, tn, "p1"); err != nil || !bytes.Equal(got.JSON, nextData) || got.Profile.Version != 2 {
		t.Errorf("after update: version %v, JSON equal %v, err %v", versionOf(got.Profile), bytes.Equal(got.JSON, nextData), err)
	}

	_, err = h.s.GetRecord(h.ctx, tn, "missing")
	wantErr(t, "record of a missing profile", err, storage.ErrNotFound)
	_, err = h.s.GetRecord(h.ctx, h.tenant(t), "p1")
	wantErr(t, "record of another tenant", err, storage.ErrNotFound)
	big := bytes.Repeat([]byte(" "), storage.MaxProfileBytes+1)
	wantErr(t, "oversized JSON", h.s.CreateProfile(h.ctx, tn, storage.Record{Profile: newProfile("p2"), JSON: big}, nil), storage.ErrTooLarge)
	wantErr(t, "JSON without a profile", h.s.CreateProfile(h.ctx, tn, storage.Record{JSON: data}, nil), storage.ErrInvalid)
}

func versionOf(p *profile.Profile) int {
	if p == nil {
		return 0
	}
	return p.Version
}
