package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/storage"
)

// testDeleteWhileUpdating force-deletes a profile that four writers keep
// updating, five rounds. The deletion must succeed (the contract lists
// no conflict for DeleteProfile: it deletes whatever version it finds),
// every update reported before it must be in the redacted history, and
// every update after it must fail with ErrNotFound.
func testDeleteWhileUpdating(t *testing.T, h *harness) {
	tn := h.tenant(t)
	for round := range 5 {
		id := fmt.Sprintf("p%d", round)
		h.create(t, tn, newProfile(id))
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			applied = map[string]bool{}
			errs    []error
		)
		started := make(chan struct{}, 4)
		stop := make(chan struct{})
		for w := range 4 {
			wg.Go(func() {
				done, err := updateUntilDeleted(h, tn, id, w, started, stop)
				mu.Lock()
				defer mu.Unlock()
				for _, e := range done {
					applied[e] = true
				}
				if err != nil {
					errs = append(errs, err)
				}
			})
		}
		for range 4 {
			<-started
		}
		err := h.s.DeleteProfile(h.ctx, tn, id, storage.DeleteOptions{Force: true})
		close(stop)
		wg.Wait()
		if err != nil {
			t.Fatalf("round %d: forced DeleteProfile during updates: %v", round, err)
		}
		if err := errors.Join(errs...); err != nil {
			t.Fatalf("round %d: writers: %v", round, err)
		}
		_, err = h.s.GetProfile(h.ctx, tn, id)
		wantErr(t, "get deleted", err, storage.ErrNotFound)
		entries := h.entries(t, tn, id)
		if len(entries) != 1+len(applied) {
			t.Errorf("round %d: history has %d entries, want 1 + %d updates reported", round, len(entries), len(applied))
		}
		for i, e := range entries {
			if i > 0 && !applied[e.ID] {
				t.Errorf("round %d: entry %s in the history, but its update was not reported", round, e.ID)
			}
			if e.Version != i {
				t.Errorf("round %d: entry %d starts from version %d", round, i, e.Version)
			}
			if !redacted(e) {
				t.Errorf("round %d: entry %s keeps its values after the deletion", round, e.ID)
			}
		}
	}
}

// updateUntilDeleted updates profile id from its stored version until it
// is gone or stop is closed, retrying on conflict, and returns the ids of
// the entries whose update was reported. It signals started after its
// first update.
func updateUntilDeleted(h *harness, tn, id string, worker int, started chan<- struct{}, stop <-chan struct{}) ([]string, error) {
	var done []string
	signal := func() {
		if started != nil {
			started <- struct{}{}
			started = nil
		}
	}
	defer signal()
	for attempt := 0; ; attempt++ {
		select {
		case <-stop:
			return done, nil
		default:
		}
		p, err := h.s.GetProfile(h.ctx, tn, id)
		if errors.Is(err, storage.ErrNotFound) {
			return done, nil
		}
		if err != nil {
			return done, err
		}
		e := bump(p, fmt.Sprintf("%s-w%d-%d", id, worker, attempt), "writer", ts(time.Duration(attempt)*time.Millisecond))
		err = h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p}, e)
		switch {
		case err == nil:
			done = append(done, e.ID)
			signal()
		case errors.Is(err, storage.ErrConflict), errors.Is(err, storage.ErrRetryable):
		case errors.Is(err, storage.ErrNotFound):
			return done, nil
		default:
			return done, fmt.Errorf("worker %d: %w", worker, err)
		}
	}
}

// redacted reports whether e keeps no value.
func redacted(e history.Entry) bool {
	for _, c := range e.Changes {
		if c.Old != nil || c.New != nil {
			return false
		}
		for _, it := range c.Items {
			if it.Value != nil {
				return false
			}
		}
	}
	return e.Reason == ""
}

// testDeleteVersion checks DeleteOptions.Version: a delete that names a
// version other than the stored one fails with ErrConflict and leaves the
// profile, its history and its feed as they were; one that names the
// stored version deletes.
func testDeleteVersion(t *testing.T, h *harness) {
	tn := h.tenant(t)
	p := newProfile("dv")
	h.create(t, tn, p)
	moved := h.get(t, tn, "dv")
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: moved}, bump(moved, "dv-e2", "a", ts(time.Minute))); err != nil {
		t.Fatal(err)
	}
	before := h.entries(t, tn, "dv")
	feed := h.changes(t, tn, 0)
	err := h.s.DeleteProfile(h.ctx, tn, "dv", storage.DeleteOptions{Force: true, Version: 1})
	wantErr(t, "delete of a version that moved", err, storage.ErrConflict)
	if got := h.get(t, tn, "dv"); got.Version != 2 {
		t.Fatalf("after a refused delete the profile is at version %d, want 2", got.Version)
	}
	if got := h.entries(t, tn, "dv"); len(got) != len(before) {
		t.Fatalf("a refused delete changed the history: %d entries, want %d", len(got), len(before))
	}
	if got := h.changes(t, tn, 0); len(got) != len(feed) {
		t.Fatalf("a refused delete changed the feed: %d events, want %d", len(got), len(feed))
	}
	if err := h.s.DeleteProfile(h.ctx, tn, "dv", storage.DeleteOptions{Force: true, Version: 2}); err != nil {
		t.Fatalf("delete of the stored version: %v", err)
	}
	_, err = h.s.GetProfile(h.ctx, tn, "dv")
	wantErr(t, "get deleted", err, storage.ErrNotFound)
}
