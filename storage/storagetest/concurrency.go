package storagetest

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/storage"
)

// testNoLostUpdates runs 16 writers doing 200 read-modify-write updates
// each of one profile (200/raceScale under -race), retrying on
// ErrConflict. Every successful update must be in the final version and in
// the history, and reverting the history from the final profile must give
// back the original.
func testNoLostUpdates(t *testing.T, h *harness) {
	tn := h.tenant(t)
	original := newProfile("p1")
	h.create(t, tn, original)
	workers, updates := 16, 200/raceScale
	if testing.Short() {
		updates = 20
	}
	var (
		wg        sync.WaitGroup
		mu        sync.Mutex
		successes int
		errs      []error
	)
	for w := range workers {
		wg.Go(func() {
			n, err := updateRepeatedly(h, tn, w, updates)
			mu.Lock()
			defer mu.Unlock()
			successes += n
			if err != nil {
				errs = append(errs, err)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("writers failed: %v", err)
	}
	if successes != workers*updates {
		t.Fatalf("%d successful updates, want %d", successes, workers*updates)
	}
	final := h.get(t, tn, "p1")
	if final.Version != 1+successes {
		t.Errorf("final version = %d, want 1 + %d successful updates", final.Version, successes)
	}
	if got, want := *final.DeclaredIncome, *original.DeclaredIncome+int64(successes); got != want {
		t.Errorf("declared income = %d, want %d (one increment per update)", got, want)
	}
	entries := h.entries(t, tn, "p1")
	if len(entries) != 1+successes {
		t.Fatalf("history has %d entries, want 1 + %d", len(entries), successes)
	}
	for i, e := range entries {
		if e.Version != i {
			t.Fatalf("entry %d starts from version %d, want %d", i, e.Version, i)
		}
	}
	rebuilt := final
	for _, e := range slices.Backward(entries[1:]) {
		revert(t, rebuilt, e)
	}
	if d := cmp.Diff(original, rebuilt, profileOpts); d != "" {
		t.Errorf("version 1 rebuilt from the history (-want +got):\n%s", d)
	}
}

// updateRepeatedly makes n successful updates, re-reading on conflict.
func updateRepeatedly(h *harness, tn string, worker, n int) (int, error) {
	done := 0
	for attempt := 0; done < n; attempt++ {
		if attempt > 1000*n {
			return done, fmt.Errorf("worker %d: no progress after %d attempts", worker, attempt)
		}
		p, err := h.s.GetProfile(h.ctx, tn, "p1")
		if err != nil {
			return done, err
		}
		at := ts(time.Duration(worker)*time.Hour + time.Duration(attempt)*time.Millisecond)
		e := bump(p, fmt.Sprintf("w%02d-%d", worker, attempt), fmt.Sprintf("worker-%02d", worker), at)
		err = h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p}, e)
		switch {
		case errors.Is(err, storage.ErrConflict):
			continue
		case err != nil:
			return done, err
		}
		done++
	}
	return done, nil
}

func versions(es []history.Entry) []int {
	out := make([]int, len(es))
	for i, e := range es {
		out[i] = e.Version
	}
	return out
}
