package kyc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// Create normalises and validates p, then stores it as version 1 in the
// initial state with a history entry that adds every field (so that any
// version can be replayed from nothing). An empty id is filled from the id
// source. The stored profile is returned; p is not modified.
func (s *Service) Create(ctx context.Context, op Operator, p *profile.Profile) (*profile.Profile, error) {
	if err := op.check(); err != nil {
		return nil, err
	}
	next, err := clone(p)
	if err != nil {
		return nil, err
	}
	if next.ID == "" {
		next.ID = s.newID()
	}
	now := s.stamp()
	next.Version = 1
	next.State = s.initial
	next.CreatedAt, next.ModifiedAt = now, now
	next.CreatedBy, next.ModifiedBy = op.User, op.User
	next.Normalize()
	if err := s.validator.Validate(next); err != nil {
		s.log(ctx, "create", op.Tenant, op.User, next.ID, 0, err)
		return nil, err
	}
	if _, err := s.commit(ctx, op, nil, next, EventCreated, "created"); err != nil {
		return committed(next, err)
	}
	return next, nil
}

// committed returns p with err when err is a *HookError (the change stands)
// and nil with err otherwise.
func committed(p *profile.Profile, err error) (*profile.Profile, error) {
	var hookErr *HookError
	if errors.As(err, &hookErr) {
		return p, err
	}
	return nil, err
}

// Get returns the stored profile.
func (s *Service) Get(ctx context.Context, op Operator, id string) (*profile.Profile, error) {
	if err := op.check(); err != nil {
		return nil, err
	}
	return s.store.GetProfile(ctx, op.Tenant, id)
}

// UpdateOptions qualify one Update.
type UpdateOptions struct {
	// Reason is recorded in the history entry.
	Reason string
	// Reverification overrides Options.Reverification for this call when
	// set.
	Reverification *ReverificationMode
}

// Update saves p as the next version of the stored profile. p.Version must
// be the version the caller read: if the stored version moved, Update fails
// with storage.ErrConflict and the caller re-reads. The profile is
// normalised and validated; id, state, version, created_at and created_by
// cannot be changed here (state moves only through Transition); the
// field-change policy decides whether the edit needs re-verification, which
// is refused with a *ReverificationError or flagged, as configured. An update
// that changes nothing returns the stored profile without a new version.
func (s *Service) Update(ctx context.Context, op Operator, p *profile.Profile, opts UpdateOptions) (*profile.Profile, error) {
	if err := op.check(); err != nil {
		return nil, err
	}
	if p == nil || p.ID == "" {
		return nil, fmt.Errorf("%w: profile id is required", ErrInvalidInput)
	}
	prev, err := s.store.GetProfile(ctx, op.Tenant, p.ID)
	if err != nil {
		return nil, err
	}
	if prev.Version != p.Version {
		return nil, storage.Wrap("update profile", p.ID, storage.ErrConflict)
	}
	if fields := readOnlyChanges(prev, p); len(fields) > 0 {
		return nil, &ReadOnlyError{Fields: fields}
	}
	next, err := clone(p)
	if err != nil {
		return nil, err
	}
	mode := s.mode
	if opts.Reverification != nil {
		mode = *opts.Reverification
	}
	return s.save(ctx, op, prev, next, mode, EventUpdated, opts.Reason)
}

// save normalises, validates and applies the field-change policy to next,
// an edited copy of prev, and commits it as the next version.
func (s *Service) save(ctx context.Context, op Operator, prev, next *profile.Profile, mode ReverificationMode, kind EventKind, reason string) (*profile.Profile, error) {
	next.Normalize()
	next.Version = prev.Version + 1
	next.ModifiedAt, next.ModifiedBy = s.stamp(), op.User
	if err := s.validator.Validate(next); err != nil {
		s.log(ctx, string(kind), op.Tenant, op.User, prev.ID, prev.Version, err)
		return nil, err
	}
	report := s.policy.Check(prev, next)
	if paths := report.ReverifyPaths(); len(paths) > 0 {
		if mode == Refuse {
			err := &ReverificationError{Report: report}
			s.log(ctx, string(kind), op.Tenant, op.User, prev.ID, prev.Version, err)
			return nil, err
		}
		next.PendingReverification = mergePaths(next.PendingReverification, paths)
	}
	changes, err := DiffProfiles(prev, next)
	if err != nil {
		return nil, err
	}
	if onlyBookkeeping(changes) {
		return prev, nil
	}
	if _, err := s.commitChanges(ctx, op, prev, next, changes, kind, reason); err != nil {
		return committed(next, err)
	}
	return next, nil
}

// readOnlyChanges names the service-owned fields that p changes.
func readOnlyChanges(stored, p *profile.Profile) []string {
	var fields []string
	if p.State != stored.State {
		fields = append(fields, "state")
	}
	if p.CreatedAt != stored.CreatedAt {
		fields = append(fields, "created_at")
	}
	if p.CreatedBy != stored.CreatedBy {
		fields = append(fields, "created_by")
	}
	return fields
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

// List returns one page of the tenant's profiles matching q.
func (s *Service) List(ctx context.Context, op Operator, q storage.Query) (*storage.Page, error) {
	if err := op.check(); err != nil {
		return nil, err
	}
	return s.store.ListProfiles(ctx, op.Tenant, q)
}

// Delete removes a profile once its retention period has run (or at once
// with force), keeping its redacted history; see storage.DeleteOptions.
func (s *Service) Delete(ctx context.Context, op Operator, id string, force bool) error {
	if err := op.check(); err != nil {
		return err
	}
	err := s.store.DeleteProfile(ctx, op.Tenant, id, storage.DeleteOptions{Now: s.now(), Force: force})
	s.log(ctx, "delete", op.Tenant, op.User, id, 0, err)
	return err
}

// DiffProfiles returns the history changes from a to b, computed on their
// JSON form (nil a means an empty document), in the dictdiffer format of
// seed 003, 3.2.
func DiffProfiles(a, b *profile.Profile) (history.Changes, error) {
	ja := []byte("{}")
	if a != nil {
		var err error
		if ja, err = json.Marshal(a); err != nil {
			return nil, fmt.Errorf("kyc: encode profile: %w", err)
		}
	}
	jb, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("kyc: encode profile: %w", err)
	}
	return history.DiffJSON(ja, jb)
}

func decodeJSON(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("kyc: decode document: %w", err)
	}
	return v, nil
}
