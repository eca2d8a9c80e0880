package kyc

import (
	"context"
	"fmt"
	"slices"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// This file is the one path by which a new version of a profile reaches
// the store. Every write reads the stored record once (the profile and the
// bytes it is stored as), changes a typed copy, encodes the new version
// once, diffs the two byte strings once and hands the new bytes to the
// store: Update, Revert, Transition, each fact's operation and Create (with
// no stored record) all end in save.

// Update saves p as the next version of the stored profile. p.Version must
// be the version the caller read: if the stored version moved, Update fails
// with storage.ErrConflict and the caller re-reads. Update changes customer
// data only: a change to any fact the library records (SystemFields: state,
// checks, risk, screening, cases, dates, the recipe...) is refused with a
// *ReadOnlyError naming every path, and nothing is stored; each fact has
// its operation. The profile is normalised and validated, new relation
// targets must exist, and once the customer is verified (Options.
// VerifiedStates) the field-change policy decides whether the edit needs
// re-verification, which is refused with a *ReverificationError or
// flagged, as configured. An update that changes nothing returns the
// stored profile without a new version.
func (s *Service) Update(ctx context.Context, op Operator, p *profile.Profile, opts UpdateOptions) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	if err := s.authorizeUpdate(op, opts); err != nil {
		return nil, err
	}
	if p == nil || p.ID == "" {
		return nil, fmt.Errorf("%w: profile id is required", ErrInvalidInput)
	}
	return s.update(ctx, op, p.ID, p.Version, func([]byte) (*profile.Profile, error) { return p.Clone(), nil }, opts)
}

// authorizeUpdate authorizes an update, and its choice of re-verification
// mode when opts makes one.
func (s *Service) authorizeUpdate(op Operator, opts UpdateOptions) error {
	if opts.Reverification != nil {
		return s.authorize(op, OpUpdate, OpOverrideReverification)
	}
	return s.authorize(op, OpUpdate)
}

// update is Update and UpdateJSON once authorized: it reads the stored
// record id once, refuses a stored version other than base, lets edit
// build the next version from the stored JSON and saves it as customer
// data. The id and version are system fields: an edit that changes them
// is refused, not silently put back, so that a merge patch setting them
// is told it was not applied.
func (s *Service) update(ctx context.Context, op Operator, id string, base int, edit func(stored []byte) (*profile.Profile, error), opts UpdateOptions) (*profile.Profile, error) {
	prev, err := s.store.GetRecord(ctx, op.Tenant, id)
	if err != nil {
		return nil, err
	}
	if prev.Profile.Version != base {
		return nil, driver.Wrap("update profile", id, storage.ErrConflict)
	}
	next, err := edit(prev.JSON)
	if err != nil {
		return nil, err
	}
	if fields := changedSystemFields(prev.Profile, next); len(fields) > 0 {
		return nil, &ReadOnlyError{Fields: fields}
	}
	mode := s.mode
	if opts.Reverification != nil {
		mode = *opts.Reverification
	}
	return s.saveCustomer(ctx, op, prev, next, mode, EventUpdated, opts.Reason)
}

// saveCustomer saves an edit of customer data: next keeps every fact of
// the stored profile whatever it carried, is validated like a new profile,
// and goes through the field-change policy once the customer is verified.
func (s *Service) saveCustomer(ctx context.Context, op Operator, prev storage.Record, next *profile.Profile, mode ReverificationMode, kind EventKind, reason string) (*profile.Profile, error) {
	next.Normalize()
	keepSystemFields(next, prev.Profile)
	s.bump(op, prev.Profile, next)
	if err := s.validate(ctx, op, prev.Profile, next); err != nil {
		return nil, s.refused(ctx, kind, op, prev.Profile, err)
	}
	if s.isVerified(prev.Profile) {
		report := s.policy.Check(prev.Profile, next)
		if paths := report.ReverifyPaths(); len(paths) > 0 {
			if mode == Refuse {
				return nil, s.refused(ctx, kind, op, prev.Profile, &ReverificationError{Report: report})
			}
			next.PendingReverification = mergePaths(next.PendingReverification, paths)
		}
	}
	return s.save(ctx, op, prev, next, kind, reason)
}

// Expect returns a copy of s for one call, or one request, whose fact
// writes apply only to version of the profile: Transition and every
// operation that records a fact (RecordScreening, ClearConfirmedHit,
// OpenCase, CloseCase, CompleteReview, InjectRisk, AssessRisk,
// Transactional, AssignEntityProfile, RecordCheckResult,
// ClearReverification) fail with storage.ErrConflict, and change nothing,
// when the stored version is another. The check and the write are one
// step: the operation reads the version it checks, and the store refuses
// the write if any other write landed after that read (the optimistic
// check of UpdateProfile). It is how a caller that showed version n to a
// user (an HTTP handler with If-Match) makes sure the fact is recorded on
// what the user saw, not on a later change. A version below 1 expects
// nothing. Delete applies only to the expected version too, checked by the
// store on the profile it deletes (storage.DeleteOptions.Version). Update,
// UpdateJSON and Revert take the version as an argument and ignore Expect;
// reads ignore it.
//
// The copy shares everything with s (store, configuration, the tenants'
// Services) and costs one allocation; it is a value for the call, not a
// setting, which is why it is not a context value or an Option.
func (s *Service) Expect(version int) *Service {
	c := *s
	c.expect = max(version, 0)
	return &c
}

// expected refuses a fact write on a version other than the one Expect
// names.
func (s *Service) expected(id string, stored int) error {
	if s.expect != 0 && stored != s.expect {
		return driver.Wrap("record fact", id, storage.ErrConflict)
	}
	return nil
}

// record loads a profile, lets fn record a fact on a copy (fn returns the
// reason written into the history entry), and saves the copy as the next
// version. Customer data is untouched, so neither the field-change policy
// nor the reference checks have anything to say. The caller has authorized
// the operation. Under Expect, the loaded version must be the expected one.
func (s *Service) record(ctx context.Context, op Operator, id string, kind EventKind, fn func(*profile.Profile) (string, error)) (*profile.Profile, error) {
	prev, err := s.store.GetRecord(ctx, op.Tenant, id)
	if err != nil {
		return nil, err
	}
	if err := s.expected(id, prev.Profile.Version); err != nil {
		return nil, err
	}
	next := prev.Profile.Clone()
	reason, err := fn(next)
	if err != nil {
		return nil, err
	}
	s.bump(op, prev.Profile, next)
	if err := s.validator.Validate(next); err != nil {
		return nil, s.refused(ctx, kind, op, prev.Profile, err)
	}
	return s.save(ctx, op, prev, next, kind, reason)
}

// recordAs is record for an operation o of op: it authorizes o, then
// refuses the call with invalid, the check of its arguments (nil when they
// are good), and only then reads and records. A refusal reads nothing.
func (s *Service) recordAs(ctx context.Context, op Operator, o Operation, invalid error, id string, kind EventKind, fn func(*profile.Profile) (string, error)) (*profile.Profile, error) {
	if err := s.authorize(op, o); err != nil {
		return nil, err
	}
	if invalid != nil {
		return nil, invalid
	}
	return s.record(ctx, op, id, kind, fn)
}

// bump stamps next as the version after prev, saved by op now.
func (s *Service) bump(op Operator, prev, next *profile.Profile) {
	next.Version = prev.Version + 1
	next.ModifiedAt, next.ModifiedBy = s.stamp(), op.User
}

// emptyDocument is what a new profile is diffed against, so that its
// creation entry adds every field.
var emptyDocument = []byte("{}")

// save writes next, already at its new version, as the successor of prev
// (the zero Record for a new profile) with a history entry holding the
// diff and the feed event of the change, then logs it and calls the hook. A
// save that changes nothing but the bookkeeping returns the stored profile
// and writes nothing.
func (s *Service) save(ctx context.Context, op Operator, prev storage.Record, next *profile.Profile, kind EventKind, reason string) (*profile.Profile, error) {
	rec, entry, noop, err := s.newVersion(ctx, op, prev, next, kind, reason)
	if err != nil {
		return nil, err
	}
	if noop {
		return prev.Profile, nil
	}
	if prev.Profile == nil {
		err = s.store.CreateProfile(ctx, op.Tenant, rec, &entry)
	} else {
		err = s.store.UpdateProfile(ctx, op.Tenant, rec, entry)
	}
	if err = s.committed(ctx, string(kind), op, next.ID, next.Version, rec.Event, err); err != nil {
		return nil, err
	}
	// The change stands whatever the related reviews say: next goes back
	// with the *RelatedReviewError, so that a caller never retries a
	// committed write.
	return next, s.raiseRelated(ctx, op, prev.Profile, next)
}

// newVersion is what save writes for next: the record with its JSON, due
// work and feed event, and the history entry; noop when the change is
// only bookkeeping and nothing is to be written. ImportBatch builds its
// creations with it too, so that a profile imported in a batch is stored
// exactly as one created alone.
func (s *Service) newVersion(ctx context.Context, op Operator, prev storage.Record, next *profile.Profile, kind EventKind, reason string) (rec storage.Record, entry history.Entry, noop bool, err error) {
	data, err := driver.EncodeProfile(next)
	if err != nil {
		return rec, entry, false, s.refused(ctx, kind, op, next, err)
	}
	old := emptyDocument
	if prev.Profile != nil {
		old = prev.JSON
	}
	changes, err := history.DiffJSON(old, data)
	if err != nil {
		return rec, entry, false, fmt.Errorf("kyc: diff profile: %w", err)
	}
	if prev.Profile != nil && onlyBookkeeping(changes) {
		return rec, entry, true, nil
	}
	// The due work after the no-op check: an update that changes nothing
	// computes nothing.
	rec = storage.Record{Profile: next, JSON: data}
	if rec.Due, rec.DueReasons, err = s.dueWork(ctx, op, prev, next); err != nil {
		return rec, entry, false, s.refused(ctx, kind, op, next, err)
	}
	entry = history.Entry{
		ID:        s.newID(),
		OrigID:    next.ID,
		CreatedAt: int64(next.ModifiedAt),
		CreatedBy: op.User,
		Version:   next.Version - 1,
		Changes:   changes,
		Reason:    reason,
		Config:    s.config,
	}
	rec.Event = s.newEvent(op, entry.ID, kind, next.ID, next.Version, next.ModifiedAt, changes)
	return rec, entry, false, nil
}

// committed logs the write of ev that the store answered with err and,
// when it committed, calls the hook. It returns err.
func (s *Service) committed(ctx context.Context, msg string, op Operator, id string, version int, ev *storage.Event, err error) error {
	s.log(ctx, msg, op.Tenant, op.User, id, version, err)
	if err == nil {
		s.emit(ctx, op.Tenant, ev)
	}
	return err
}

// refused logs a write refused before it reached the store and returns
// its error.
func (s *Service) refused(ctx context.Context, kind EventKind, op Operator, p *profile.Profile, err error) error {
	s.log(ctx, string(kind), op.Tenant, op.User, p.ID, p.Version, err)
	return err
}

// copyOf is the typed deep copy of a caller's profile that Create, Import
// and Validate work on, so that the caller's value is never modified.
func copyOf(p *profile.Profile) (*profile.Profile, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: nil profile", ErrInvalidInput)
	}
	return p.Clone(), nil
}

func mergePaths(have, add []string) []string {
	out := slices.Clone(have)
	for _, p := range add {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}
