package storagetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/internal/testsource"
	"github.com/kycsdk/kyc/storage"
)

// testCancelEveryStep cancels the context of each write (CreateProfile,
// UpdateProfile, DeleteProfile and the three comment writes) at every
// point where the store looks at it, then at moments spread over the
// call's duration, and checks that what the call reported is what the
// store holds: success means the whole write is there (the version moved
// and the entry was written), failure means an error wrapping the
// cancellation and nothing changed. A database driver that abandons a
// statement when its context ends may report a write the server committed
// as cancelled; this is the test that catches it.
func testCancelEveryStep(t *testing.T, h *harness) {
	ops := []struct {
		name    string
		prepare func(t *testing.T, h *harness, tn, key string) cancelAttempt
	}{
		{"CreateProfile", prepareCreate},
		{"UpdateProfile", prepareUpdate},
		{"DeleteProfile", prepareDelete},
		{"AddComment", prepareAddComment},
		{"UpdateComment", prepareUpdateComment},
		{"DeleteComment", prepareDeleteComment},
	}
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			tn := h.tenant(t)
			h.create(t, tn, newProfile("p1"))
			r := &cancelRun{t: t, h: h, tn: tn, prepare: op.prepare}
			r.countdown()
			r.timed()
			r.settle()
			t.Logf("%d cancelled calls: %d reported success, %d a cancellation", r.cancelled, r.cancelled-r.failed, r.failed)
		})
	}
}

// cancelAttempt is one write, ready to run, and how to see its effect.
type cancelAttempt struct {
	call func(ctx context.Context) error
	// observe returns applied (the whole write is stored) or not, or
	// fails the test when part of the write is stored. first is true
	// right after the call, false when settle looks again after later
	// calls.
	observe func(t *testing.T, first bool) (applied bool)
}

// cancelRun runs the attempts of one operation and remembers what each
// reported, so that settle can look at the store again at the end.
type cancelRun struct {
	t         *testing.T
	h         *harness
	tn        string
	prepare   func(t *testing.T, h *harness, tn, key string) cancelAttempt
	reported  []cancelOutcome
	cancelled int // attempts whose context ended before the call returned
	failed    int
}

// cancelOutcome is what one attempt reported, and how to look again.
type cancelOutcome struct {
	what    string
	applied bool
	observe func(t *testing.T, first bool) bool
}

// maxCountdown bounds the countdown: no write of any store looks at its
// context this often.
const maxCountdown = 2000

// countdown runs the write with a context that ends at its n-th look, for
// n = 1, 2, ... until a call finishes before the context ended.
func (r *cancelRun) countdown() {
	for n := int64(1); n <= maxCountdown; n++ {
		ctx := testsource.NewCountdown(n)
		fired := r.attempt(ctx, fmt.Sprintf("countdown %d", n), func() bool { return ctx.Fired() })
		if !fired {
			return
		}
	}
	r.t.Fatalf("the context was looked at more than %d times in one call", maxCountdown)
}

// timedSteps is the number of moments timed spreads over a call.
func timedSteps() int {
	if testing.Short() {
		return 10
	}
	return 40
}

// timed cancels the write at moments from zero to twice the duration of
// an uncancelled call: most land while the database works on it, where
// a check of the context cannot reach.
func (r *cancelRun) timed() {
	start := time.Now()
	r.attempt(context.Background(), "uncancelled", func() bool { return false })
	span := 2 * time.Since(start)
	steps := timedSteps()
	for i := range steps {
		delay := span * time.Duration(i) / time.Duration(steps)
		ctx, cancel := context.WithCancel(context.Background())
		timer := time.AfterFunc(delay, cancel)
		r.attempt(ctx, fmt.Sprintf("cancelled after %v", delay), func() bool { return ctx.Err() != nil })
		timer.Stop()
		cancel()
	}
}

// attempt runs one write under ctx and checks what it reported against
// the store. ended says whether ctx ended before the call returned.
func (r *cancelRun) attempt(ctx context.Context, what string, ended func() bool) bool {
	t := r.t
	t.Helper()
	a := r.prepare(t, r.h, r.tn, fmt.Sprintf("k%03d", len(r.reported)))
	err := a.call(ctx)
	fired := ended()
	if fired {
		r.cancelled++
	}
	switch {
	case err != nil && !fired:
		t.Fatalf("%s: failed without a cancellation: %v", what, err)
	case err != nil && !errors.Is(err, context.Canceled):
		t.Errorf("%s: error %v does not wrap context.Canceled", what, err)
	}
	if err != nil {
		r.failed++
	}
	applied := a.observe(t, true)
	if applied != (err == nil) {
		t.Errorf("%s: the call reported %v but the write is stored = %v", what, errText(err), applied)
	}
	r.reported = append(r.reported, cancelOutcome{what: what, applied: err == nil, observe: a.observe})
	return fired
}

// settle looks at every write again once the calls are over: a write
// that a database finished after its call returned shows here.
func (r *cancelRun) settle() {
	// Time for a server to finish statements its client abandoned.
	time.Sleep(100 * time.Millisecond)
	for _, o := range r.reported {
		if got := o.observe(r.t, false); got != o.applied {
			r.t.Errorf("%s: the call reported success = %v; later the write is stored = %v", o.what, o.applied, got)
		}
	}
}

func errText(err error) string {
	if err == nil {
		return "success"
	}
	return "error " + err.Error()
}

// prepareCreate creates a new profile with its creation entry.
func prepareCreate(t *testing.T, h *harness, tn, key string) cancelAttempt {
	p := newProfile("c-" + key)
	e := creationEntry(p, p.ID+"-created")
	return cancelAttempt{
		call: func(ctx context.Context) error { return h.s.CreateProfile(ctx, tn, storage.Record{Profile: p}, e) },
		observe: func(t *testing.T, first bool) bool {
			_, err := h.s.GetProfile(h.ctx, tn, p.ID)
			stored := err == nil
			if err != nil && !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("GetProfile(%s): %v", p.ID, err)
			}
			pg, err := h.s.History(h.ctx, tn, p.ID, storage.HistoryQuery{})
			entry := err == nil && len(pg.Entries) == 1 && pg.Entries[0].ID == e.ID
			if err != nil && !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("History(%s): %v", p.ID, err)
			}
			if stored != entry {
				t.Errorf("create %s: profile stored = %v, creation entry stored = %v", p.ID, stored, entry)
			}
			return stored
		},
	}
}

// prepareUpdate updates p1 from its stored version.
func prepareUpdate(t *testing.T, h *harness, tn, key string) cancelAttempt {
	p := h.get(t, tn, "p1")
	e := bump(p, "u-"+key, "canceller", ts(time.Hour))
	return cancelAttempt{
		call: func(ctx context.Context) error {
			return h.s.UpdateProfile(ctx, tn, storage.Record{Profile: clone(t, p)}, e)
		},
		observe: func(t *testing.T, first bool) bool {
			entry := slices.ContainsFunc(h.entries(t, tn, "p1"), func(x history.Entry) bool { return x.ID == e.ID })
			// Later updates move the version on, so only the look right
			// after the call can compare it.
			if moved := h.get(t, tn, "p1").Version == p.Version; first && moved != entry {
				t.Errorf("update %s: version moved = %v, entry stored = %v", e.ID, moved, entry)
			}
			return entry
		},
	}
}

// prepareDelete force-deletes a new profile with two history entries.
func prepareDelete(t *testing.T, h *harness, tn, key string) cancelAttempt {
	p := newProfile("d-" + key)
	h.create(t, tn, p)
	if err := h.s.UpdateProfile(h.ctx, tn, storage.Record{Profile: p}, bump(p, p.ID+"-e2", "officer", ts(time.Hour))); err != nil {
		t.Fatal(err)
	}
	return cancelAttempt{
		call: func(ctx context.Context) error {
			return h.s.DeleteProfile(ctx, tn, p.ID, storage.DeleteOptions{Force: true})
		},
		observe: func(t *testing.T, first bool) bool {
			_, err := h.s.GetProfile(h.ctx, tn, p.ID)
			if err != nil && !errors.Is(err, storage.ErrNotFound) {
				t.Fatalf("GetProfile(%s): %v", p.ID, err)
			}
			gone := err != nil
			blank := 0
			entries := h.entries(t, tn, p.ID)
			for _, e := range entries {
				if redacted(e) {
					blank++
				}
			}
			if len(entries) != 2 || gone != (blank == 2) || (!gone && blank != 0) {
				t.Errorf("delete %s: profile gone = %v, %d of %d entries redacted", p.ID, gone, blank, len(entries))
			}
			return gone
		},
	}
}

// prepareAddComment adds a comment to p1.
func prepareAddComment(t *testing.T, h *harness, tn, key string) cancelAttempt {
	c := storage.Comment{ID: "c-" + key, ProfileID: "p1", Author: "canceller", Body: "<p>checked</p>", CreatedAt: ts(time.Hour)}
	return cancelAttempt{
		call: func(ctx context.Context) error { cc := c; return h.s.AddComment(ctx, tn, &cc, nil) },
		observe: func(t *testing.T, first bool) bool {
			cs, err := h.s.ListComments(h.ctx, tn, "p1")
			if err != nil {
				t.Fatalf("ListComments: %v", err)
			}
			return slices.ContainsFunc(cs, func(x storage.Comment) bool { return x.ID == c.ID })
		},
	}
}

// prepareUpdateComment edits a new comment on p1.
func prepareUpdateComment(t *testing.T, h *harness, tn, key string) cancelAttempt {
	c := storage.Comment{ID: "c-" + key, ProfileID: "p1", Author: "canceller", Body: "<p>first</p>", CreatedAt: ts(time.Hour)}
	if err := h.s.AddComment(h.ctx, tn, &c, nil); err != nil {
		t.Fatal(err)
	}
	edit := c
	edit.Body, edit.ModifiedAt = "<p>edited</p>", ts(2*time.Hour)
	return cancelAttempt{
		call:    func(ctx context.Context) error { cc := edit; return h.s.UpdateComment(ctx, tn, &cc, nil) },
		observe: func(t *testing.T, first bool) bool { return h.commentBody(t, tn, c.ID) == edit.Body },
	}
}

// prepareDeleteComment deletes a new comment on p1.
func prepareDeleteComment(t *testing.T, h *harness, tn, key string) cancelAttempt {
	c := storage.Comment{ID: "c-" + key, ProfileID: "p1", Author: "canceller", Body: "<p>to delete</p>", CreatedAt: ts(time.Hour)}
	if err := h.s.AddComment(h.ctx, tn, &c, nil); err != nil {
		t.Fatal(err)
	}
	return cancelAttempt{
		call:    func(ctx context.Context) error { return h.s.DeleteComment(ctx, tn, "p1", c.ID, nil) },
		observe: func(t *testing.T, first bool) bool { return h.commentBody(t, tn, c.ID) == "" },
	}
}

// commentBody returns the body of comment id on p1, "" when it is absent.
func (h *harness) commentBody(t *testing.T, tn, id string) string {
	t.Helper()
	cs, err := h.s.ListComments(h.ctx, tn, "p1")
	if err != nil {
		t.Fatalf("ListComments: %v", err)
	}
	for _, c := range cs {
		if c.ID == id {
			return c.Body
		}
	}
	return ""
}
