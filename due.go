package kyc

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/review"
	"github.com/kycsdk/kyc/storage"
)

// DueWork returns the profile's due work under the review policy
// (Options.ReviewPolicy): the periodic review and re-screening by risk
// level, documents and check results ageing out, changes pending
// re-verification, and the events since the last completed review (a risk
// level that changed, a hit confirmed, a screening outcome that changed),
// each with the moment it falls due and the path of the fact behind it.
// The events are kept by the Service from commit to commit (and read from
// the history for a profile stored before that), never from fields a
// caller could have written. DueWork returns the work stored with the
// profile on its last commit, which is what DueList lists; dueFromHistory
// computes it from the history.
func (s *Service) DueWork(ctx context.Context, op Operator, id string) (review.Work, error) {
	s = s.resolve(ctx, op)
	r, err := s.readRecord(ctx, op, OpDueWork, id)
	if err != nil {
		return review.Work{}, err
	}
	if r.Due == 0 {
		return s.dueFromHistory(ctx, op, r.Profile)
	}
	rs, err := decodeReasons(r.DueReasons)
	return review.Work{At: r.Due, Reasons: rs}, err
}

// dueFromHistory computes p's due work from scratch: the profile and the
// events of its history since the last completed review.
func (s *Service) dueFromHistory(ctx context.Context, op Operator, p *profile.Profile) (review.Work, error) {
	events, err := s.reviewEvents(ctx, op, p)
	if err != nil {
		return review.Work{}, err
	}
	return s.reviews.Due(p, s.entities, events)
}

// reviewEvents walks the history back to the last completed review,
// rebuilding the version before each entry, and asks the policy which
// events each change raised.
func (s *Service) reviewEvents(ctx context.Context, op Operator, p *profile.Profile) ([]review.Reason, error) {
	doc, err := document(p)
	if err != nil {
		return nil, err
	}
	var (
		events  []review.Reason
		after   = p
		walkErr error
	)
	err = s.walkHistory(ctx, op, p.ID, func(e history.Entry) bool {
		if e.CreatedAt <= int64(p.LastDueDiligenceAt) {
			return false
		}
		var before *profile.Profile
		if doc, before, walkErr = versionBefore(e, doc); walkErr != nil {
			return false
		}
		events = append(events, s.reviews.Events(before, after, profile.Timestamp(e.CreatedAt))...)
		after = before
		return true
	})
	if err != nil {
		return nil, err
	}
	return events, walkErr
}

// versionBefore reverts one entry on doc and returns the earlier document
// and its profile.
func versionBefore(e history.Entry, doc any) (any, *profile.Profile, error) {
	prev, err := history.Revert(e.Changes, doc)
	if err != nil {
		return nil, nil, fmt.Errorf("kyc: revert entry of version %d: %w", e.Version, err)
	}
	p, err := profileOf(prev, e.Version)
	return prev, p, err
}

// dueWork computes the due work save stores with next, the successor of
// prev (the zero Record for a new profile), and encodes its reasons. The
// open events are those stored with prev plus those this commit raises
// (at next.ModifiedAt, the moment of its history entry), less the ones a
// review answered (review.Open, inside Policy.Due): the same events the
// history walk of dueFromHistory finds, without reading the history. A
// profile stored before its store kept due work (prev.Due == 0) has its
// events read from the history once.
func (s *Service) dueWork(ctx context.Context, op Operator, prev storage.Record, next *profile.Profile) (profile.Timestamp, []byte, error) {
	if s.noDue {
		return 0, nil, nil
	}
	open, err := s.openEvents(ctx, op, prev)
	if err != nil {
		return 0, nil, err
	}
	if prev.Profile != nil {
		open = append(open, s.reviews.Events(prev.Profile, next, next.ModifiedAt)...)
	}
	return s.encodedDue(next, open)
}

// encodedDue computes p's due work with the open events and returns its
// moment and its reasons as a store keeps them.
func (s *Service) encodedDue(p *profile.Profile, open []review.Reason) (profile.Timestamp, []byte, error) {
	w, err := s.reviews.Due(p, s.entities, open)
	if err != nil {
		return 0, nil, err
	}
	data, err := json.Marshal(w.Reasons)
	if err != nil {
		return 0, nil, fmt.Errorf("kyc: encode due work: %w", err)
	}
	return w.At, data, nil
}

// openEvents returns the event reasons stored with prev.
func (s *Service) openEvents(ctx context.Context, op Operator, prev storage.Record) ([]review.Reason, error) {
	switch {
	case prev.Profile == nil:
		return nil, nil
	case prev.Due == 0:
		return s.reviewEvents(ctx, op, prev.Profile)
	}
	rs, err := decodeReasons(prev.DueReasons)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(rs, func(r review.Reason) bool { return !r.Kind.Event() }), nil
}

func decodeReasons(data []byte) ([]review.Reason, error) {
	var rs []review.Reason
	if err := json.Unmarshal(data, &rs); err != nil {
		return nil, fmt.Errorf("kyc: decode stored due work: %w", err)
	}
	return rs, nil
}

// DueItem is the due work of one profile in a DuePage.
type DueItem struct {
	ProfileID string      `json:"profile_id"`
	Work      review.Work `json:"work"`
}

// DuePage is one page of DueList: the profiles due, oldest due first, how
// many are due in all, and the cursor of the next page (empty on the
// last).
type DuePage struct {
	Items      []DueItem `json:"items"`
	Total      int       `json:"total"`
	NextCursor string    `json:"next_cursor,omitempty"`
}

// DueList returns one page of the tenant's due work: every profile due at
// or before before, oldest due first (then by id), each with all its
// reasons (review.Work.DueBy picks those due by a moment), size at a time
// (default storage.DefaultPageSize, at most storage.MaxPageSize). cursor
// is empty for the first page, then the NextCursor of the page before. It
// reads the due work stored with each profile on its last commit (an
// index range on SQLite and PostgreSQL), never the history: a profile
// written before its store kept due work is listed from its next write.
func (s *Service) DueList(ctx context.Context, op Operator, before time.Time, cursor string, size int) (*DuePage, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpDueWork); err != nil {
		return nil, err
	}
	if before.IsZero() {
		return nil, fmt.Errorf("%w: due list needs a moment", ErrInvalidInput)
	}
	q := storage.Query{DueBy: profile.TimestampOf(before), Sort: storage.SortDue, OnlyDue: true, Size: size, Cursor: cursor}
	pg, err := s.store.ListProfiles(ctx, op.Tenant, q)
	if err != nil {
		return nil, err
	}
	out := &DuePage{Items: make([]DueItem, 0, len(pg.Due)), Total: pg.TotalElements, NextCursor: pg.NextCursor}
	for _, d := range pg.Due {
		rs, err := decodeReasons(d.Reasons)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, DueItem{ProfileID: d.ID, Work: review.Work{At: d.At, Reasons: rs}})
	}
	return out, nil
}

// DueSweep is the progress of a sweep (SweepDue): how many profiles the
// batches so far covered, of how many, how many of those the batch just
// run rewrote, and the cursor of the next batch (empty when the sweep is
// over).
type DueSweep struct {
	Swept      int    `json:"swept"`
	Total      int    `json:"total"`
	Rewritten  int    `json:"rewritten"`
	NextCursor string `json:"next_cursor,omitempty"`
}

// SweepDue recomputes, under the Service's review policy, the due work
// stored with one batch of the tenant's profiles (size of them, default
// storage.DefaultPageSize, at most storage.MaxPageSize), the batch after
// cursor (empty: the first): what a deployment runs after changing the
// policy, batch after batch until NextCursor is empty, resuming from the
// last cursor after a stop. The walk is storage.Store.WalkProfiles, in
// id order, a key that no write changes, so each profile is swept once
// while writes go on, and a batch costs its own rows, never an offset or
// a count of the tenant. Each profile's events are those stored with it;
// a profile whose stored work is already the policy's is left alone, and
// one written meanwhile is skipped, since its write stored the current
// policy's work. A batch is one atomic write (storage.Store.SetDue); no
// version or history entry is written: the customer did not change.
// SweepAll runs all the batches, reading the next while one is written.
func (s *Service) SweepDue(ctx context.Context, op Operator, cursor string, size int) (DueSweep, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpSweepDue); err != nil {
		return DueSweep{}, err
	}
	b, err := s.sweepBatch(ctx, op, cursor, size)
	if err != nil {
		return DueSweep{}, err
	}
	return s.writeSweep(ctx, op, b)
}

// SweepAll sweeps the tenant's due work from cursor (empty: the first
// profile) to the last profile, as SweepDue does batch after batch (size
// profiles each, default storage.DefaultPageSize, at most
// storage.MaxPageSize), and calls progress, when not nil, after each
// batch is written, with that batch's DueSweep: its NextCursor is where
// a stopped sweep resumes. It reads and computes the next batch while one
// is written, so that a sweep keeps two cores busy (BENCHMARKS.md, "The
// sweep after a policy change"): the reading runs on a goroutine of its
// own, which has ended when SweepAll returns; the writes and progress run
// on the caller's.
//
// It stops at the first error (of the walk, the computation, a write,
// progress or ctx) and returns it. Each batch is one atomic write: the
// batches reported to progress are written whole, the one that failed
// not at all, and none after it; the batch read ahead is dropped. The
// last cursor progress received resumes the sweep, with SweepAll or
// SweepDue.
func (s *Service) SweepAll(ctx context.Context, op Operator, cursor string, size int, progress func(DueSweep) error) error {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpSweepDue); err != nil {
		return err
	}
	// The reader stops when the writer does; the writer runs under ctx
	// itself, so that its statements are not watched by a second
	// context (modernc.org/sqlite watches each with a goroutine).
	readCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan dueBatch) // unbuffered: one batch read ahead, no more
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- s.readSweep(readCtx, op, cursor, size, batches)
	}()
	err := s.writeSweeps(ctx, op, batches, progress)
	cancel()
	for range batches { // the reader has stopped once batches is closed
	}
	if err != nil {
		return err
	}
	return <-readErr
}

// readSweep sends the computed batches of a sweep from cursor to the last,
// or until ctx ends, and returns the first error.
func (s *Service) readSweep(ctx context.Context, op Operator, cursor string, size int, batches chan<- dueBatch) error {
	for {
		b, err := s.sweepBatch(ctx, op, cursor, size)
		if err != nil {
			return err
		}
		select {
		case batches <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
		if cursor = b.sweep.NextCursor; cursor == "" {
			return nil
		}
	}
}

// writeSweeps writes the batches in their order and reports each written
// one to progress, until batches is closed or the first error.
func (s *Service) writeSweeps(ctx context.Context, op Operator, batches <-chan dueBatch, progress func(DueSweep) error) error {
	for b := range batches {
		if err := ctx.Err(); err != nil { // not every store looks
			return err
		}
		sweep, err := s.writeSweep(ctx, op, b)
		if err != nil {
			return err
		}
		if progress != nil {
			if err := progress(sweep); err != nil {
				return err
			}
		}
	}
	return nil
}

// dueBatch is one batch of a sweep, read and computed: its progress and
// the due work that differs from the stored one.
type dueBatch struct {
	sweep   DueSweep
	updates []storage.DueUpdate
}

// sweepBatch reads the batch of a sweep after cursor and recomputes the
// due work of its profiles.
func (s *Service) sweepBatch(ctx context.Context, op Operator, cursor string, size int) (dueBatch, error) {
	pg, err := s.store.WalkProfiles(ctx, op.Tenant, storage.Walk{Size: size, Cursor: cursor})
	if err != nil {
		return dueBatch{}, err
	}
	b := dueBatch{sweep: DueSweep{Swept: pg.Walked, Total: pg.Total, NextCursor: pg.NextCursor}}
	for _, r := range pg.Records {
		u, changed, err := s.sweepOne(ctx, op, r)
		if err != nil {
			return dueBatch{}, err
		}
		if changed {
			b.updates = append(b.updates, u)
		}
	}
	return b, nil
}

// writeSweep writes a computed batch in one atomic step and returns its
// progress. A profile written meanwhile is skipped: its write stored the
// current policy's work.
func (s *Service) writeSweep(ctx context.Context, op Operator, b dueBatch) (DueSweep, error) {
	if len(b.updates) == 0 {
		return b.sweep, nil
	}
	var err error
	b.sweep.Rewritten, err = s.store.SetDue(ctx, op.Tenant, b.updates)
	return b.sweep, err
}

// RescreenBatch is one batch of RescreenWalk: the profiles to screen
// again, how many the walk has returned so far of how many the tenant
// had when it began, and the cursor of the next batch (empty after the
// last).
type RescreenBatch struct {
	Profiles   []*profile.Profile `json:"profiles"`
	Walked     int                `json:"walked"`
	Total      int                `json:"total"`
	NextCursor string             `json:"next_cursor,omitempty"`
}

// RescreenWalk returns the next batch (size profiles, default
// storage.DefaultPageSize, at most storage.MaxPageSize) of a walk over
// every profile of the tenant, to be screened again after a watchlist
// update: a worker starts with an empty cursor, screens each profile and
// records the run with RecordScreening (a run with the last outcome is
// kept in the history and opens nothing; a changed one raises the
// review), and goes on with NextCursor until it is empty, resuming from
// the last cursor after a stop.
//
// The walk is in id order (storage.Store.WalkProfiles), by keyset, never
// by offset. Id order, not the re-screening due moment, because a list
// update puts every customer in scope at once, and because the id is
// the one key no write changes: the worker's own RecordScreening moves
// each profile's due moment, so a walk in due order would meet profiles
// again or skip them. Every profile present throughout the walk is
// returned exactly once while writes go on; one created meanwhile was
// screened at onboarding against the updated list.
func (s *Service) RescreenWalk(ctx context.Context, op Operator, cursor string, size int) (*RescreenBatch, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpRescreenWalk); err != nil {
		return nil, err
	}
	pg, err := s.store.WalkProfiles(ctx, op.Tenant, storage.Walk{Size: size, Cursor: cursor})
	if err != nil {
		return nil, err
	}
	out := &RescreenBatch{Profiles: make([]*profile.Profile, len(pg.Records)), Walked: pg.Walked, Total: pg.Total, NextCursor: pg.NextCursor}
	for i, r := range pg.Records {
		out.Profiles[i] = r.Profile
	}
	return out, nil
}

// sweepOne recomputes the due work of the stored record r and reports
// whether it differs from the stored one.
func (s *Service) sweepOne(ctx context.Context, op Operator, r storage.Record) (storage.DueUpdate, bool, error) {
	open, err := s.openEvents(ctx, op, r)
	if err != nil {
		return storage.DueUpdate{}, false, err
	}
	at, data, err := s.encodedDue(r.Profile, open)
	if err != nil {
		return storage.DueUpdate{}, false, err
	}
	u := storage.DueUpdate{ID: r.Profile.ID, Version: r.Profile.Version, Due: at, Reasons: data}
	return u, at != r.Due || !bytes.Equal(data, r.DueReasons), nil
}
