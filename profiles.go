package kyc

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// Create normalises and validates p, then stores it as version 1 in the
// initial state with a history entry that adds every field (so that any
// version can be replayed from nothing). An empty id is filled from the id
// source. p carries customer data only: a fact the library records (see
// SystemFields) is refused with a *ReadOnlyError, except entity_profile,
// which is an initial recipe assignment checked against the registry
// (entityprofile.Auto is resolved). The stored profile is returned; p is not
// modified.
func (s *Service) Create(ctx context.Context, op Operator, p *profile.Profile) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpCreate); err != nil {
		return nil, err
	}
	return s.createNew(ctx, op, p, "", "")
}

// CreateWithRisk is Create of a profile whose risk level an outside system
// set (seed 002 accepts risk on create), in one write: the new profile
// holds the level from version 1, and its creation entry records it as
// injected, with the source, as InjectRisk would. It needs InjectRisk's
// permission as well as Create's. A failure stores nothing, so a customer
// never exists without the risk it was created with. level must be one of
// the configured risk levels.
func (s *Service) CreateWithRisk(ctx context.Context, op Operator, p *profile.Profile, level, source string) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpCreate, OpInjectRisk); err != nil {
		return nil, err
	}
	if err := cmp.Or(requireText("risk level", level), requireText("risk source", source)); err != nil {
		return nil, err
	}
	return s.createNew(ctx, op, p, level, source)
}

// createNew is Create and CreateWithRisk once their operations are
// authorized: level, when set, is the injected risk.
func (s *Service) createNew(ctx context.Context, op Operator, p *profile.Profile, level, source string) (*profile.Profile, error) {
	if p != nil && p.EntityProfile != "" {
		if err := s.authorize(op, OpAssignEntityProfile); err != nil {
			return nil, err
		}
	}
	next, err := copyOf(p)
	if err != nil {
		return nil, err
	}
	if fields := presetSystemFields(next); len(fields) > 0 {
		return nil, &ReadOnlyError{Fields: fields}
	}
	if next.ID == "" {
		next.ID = s.newID()
	}
	now := s.stamp()
	next.Version = 1
	next.State = s.initial
	next.CreatedAt, next.ModifiedAt = now, now
	next.CreatedBy, next.ModifiedBy = op.User, op.User
	reason := "created"
	if level != "" {
		next.Risk, next.RiskCalculatedAt = level, now
		reason = "created; risk injected: " + level + " (source: " + source + ")"
	}
	return s.create(ctx, op, next, EventCreated, reason)
}

// create validates a new profile, checks its references and stores it.
func (s *Service) create(ctx context.Context, op Operator, next *profile.Profile, kind EventKind, reason string) (*profile.Profile, error) {
	next.Normalize()
	if err := s.validate(ctx, op, nil, next); err != nil {
		s.log(ctx, string(kind), op.Tenant, op.User, next.ID, 0, err)
		return nil, err
	}
	return s.save(ctx, op, storage.Record{}, next, kind, reason)
}

// validate runs the profile rules, resolves and checks the entity profile
// when next sets a new one, and checks that every relation target newly
// named exists in the tenant. prev is nil for a new profile.
func (s *Service) validate(ctx context.Context, op Operator, prev, next *profile.Profile) error {
	problems, err := problemsOf(s.validator.Validate(next))
	if err != nil {
		return err
	}
	if prev == nil || next.EntityProfile != prev.EntityProfile {
		problems = append(problems, s.checkRecipe(next)...)
	}
	refs, err := s.checkRelations(ctx, op, prev, next)
	if err != nil {
		return err
	}
	problems = append(problems, refs...)
	problems = append(problems, s.ownership.Validate(next)...)
	problems = append(problems, catalogueProblems(s.activities, s.taxes, next)...)
	if len(problems) > 0 {
		return &profile.ValidationError{Problems: problems}
	}
	return nil
}

// checkRecipe resolves entityprofile.Auto and refuses a recipe the
// registry does not know.
func (s *Service) checkRecipe(p *profile.Profile) []profile.Problem {
	if p.EntityProfile == "" {
		return nil
	}
	if s.entities == nil {
		return []profile.Problem{{Path: "entity_profile", Code: CodeUnknownRecipe, Message: "no verification recipes are configured"}}
	}
	name, err := s.entities.Resolve(p, p.EntityProfile)
	if err != nil {
		return []profile.Problem{{Path: "entity_profile", Code: CodeUnknownRecipe, Message: "is not a recipe of the registry, auto or none"}}
	}
	p.EntityProfile = name
	return nil
}

// checkRelations looks up every relation target that prev did not already
// name: it must be another profile of the same tenant.
func (s *Service) checkRelations(ctx context.Context, op Operator, prev, next *profile.Profile) ([]profile.Problem, error) {
	var known map[string]bool
	if prev != nil {
		known = make(map[string]bool, len(prev.Relations))
		for _, r := range prev.Relations {
			known[r.ProfileID] = true
		}
	}
	var problems []profile.Problem
	seen := map[string]bool{}
	for i, r := range next.Relations {
		path := fmt.Sprintf("relations[%d].profile_id", i)
		switch {
		case r.ProfileID == "":
			continue // the validator reports a missing target
		case r.ProfileID == next.ID:
			problems = append(problems, profile.Problem{Path: path, Code: CodeSelfRelation, Message: "a profile cannot relate to itself"})
			continue
		case known[r.ProfileID] || seen[r.ProfileID]:
			continue
		}
		seen[r.ProfileID] = true
		_, err := s.store.GetProfile(ctx, op.Tenant, r.ProfileID)
		switch {
		case errors.Is(err, storage.ErrNotFound):
			problems = append(problems, profile.Problem{Path: path, Code: CodeUnknownProfile, Message: "names no profile of this tenant"})
		case err != nil:
			return nil, err
		}
	}
	return problems, nil
}

// Get returns the stored profile.
func (s *Service) Get(ctx context.Context, op Operator, id string) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	return s.read(ctx, op, OpGet, id)
}

// GetJSON is Get for a caller that passes the profile on as JSON (an HTTP
// handler): the profile's JSON as the store keeps it, which is
// profile.Encode of the profile Get returns (the storage.Record contract),
// and its version, without encoding it again. A store that is a
// storage.JSONGetter answers them without decoding the profile either;
// any other is read through GetRecord, with the same result. The caller
// must not modify the bytes.
func (s *Service) GetJSON(ctx context.Context, op Operator, id string) ([]byte, int, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpGet); err != nil {
		return nil, 0, err
	}
	if g, ok := s.store.(storage.JSONGetter); ok {
		return g.GetJSON(ctx, op.Tenant, id)
	}
	rec, err := s.store.GetRecord(ctx, op.Tenant, id)
	if err != nil {
		return nil, 0, err
	}
	data := rec.JSON
	if data == nil {
		// A store that keeps no JSON of its own.
		if data, err = profile.Encode(rec.Profile); err != nil {
			return nil, 0, err
		}
	}
	return data, rec.Profile.Version, nil
}

// read authorizes o, then reads the stored profile.
func (s *Service) read(ctx context.Context, op Operator, o Operation, id string) (*profile.Profile, error) {
	if err := s.authorize(op, o); err != nil {
		return nil, err
	}
	return s.store.GetProfile(ctx, op.Tenant, id)
}

// readRecord is read for the operations that write a next version.
func (s *Service) readRecord(ctx context.Context, op Operator, o Operation, id string) (storage.Record, error) {
	if err := s.authorize(op, o); err != nil {
		return storage.Record{}, err
	}
	return s.store.GetRecord(ctx, op.Tenant, id)
}

// UpdateOptions qualify one Update.
type UpdateOptions struct {
	// Reason is recorded in the history entry.
	Reason string
	// Reverification overrides Options.Reverification for this call when
	// set; it needs the reverification_override permission, since it
	// switches the field-change policy's refusal off.
	Reverification *ReverificationMode
}

// List returns one page of the tenant's profiles matching q.
func (s *Service) List(ctx context.Context, op Operator, q storage.Query) (*storage.Page, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpList); err != nil {
		return nil, err
	}
	return s.store.ListProfiles(ctx, op.Tenant, q)
}

// DeleteOptions qualify one Delete.
type DeleteOptions struct {
	// Force deletes while the retention period still runs (a court order,
	// an erasure the law requires). It needs the forced_delete permission
	// and a Reason.
	Force bool
	// Reason says why; required with Force, recorded in the redacted
	// history either way.
	Reason string
}

// Delete removes a profile once its retention period has run (or at once
// with Force), keeping its redacted history: the period runs from the
// profile's last change in one of Options.EndStates; see
// storage.DeleteOptions.
// The deletion itself is recorded in that history: who, when and why.
func (s *Service) Delete(ctx context.Context, op Operator, id string, opts DeleteOptions) error {
	s = s.resolve(ctx, op)
	o := OpDelete
	if opts.Force {
		o = OpForcedDelete
	}
	if err := s.authorize(op, o); err != nil {
		return err
	}
	if opts.Force && strings.TrimSpace(opts.Reason) == "" {
		return fmt.Errorf("%w: a forced delete needs a reason", ErrInvalidInput)
	}
	if err := checkText("reason", opts.Reason); err != nil {
		return err
	}
	now := s.now()
	reason := cmp.Or(opts.Reason, "deleted")
	if opts.Force {
		// The trail keeps the scope that allowed it beside the reason.
		scope := s.permissions.grantedBy(op.Scopes, s.operations[OpForcedDelete])
		reason = "forced delete (" + scope + "): " + opts.Reason
	}
	entry := &history.Entry{ID: s.newID(), OrigID: id, CreatedAt: now.UnixMilli(), CreatedBy: op.User, Reason: reason, Config: s.config}
	ev := s.newEvent(op, entry.ID, EventDeleted, id, 0, profile.TimestampOf(now), nil)
	err := s.store.DeleteProfile(ctx, op.Tenant, id, storage.DeleteOptions{Now: now, Force: opts.Force, EndStates: s.ended, Entry: entry, Event: ev, Version: s.expect})
	return s.committed(ctx, string(o), op, id, 0, ev, err)
}

// DiffProfiles returns the history changes from a to b, computed on their
// JSON form (nil a means an empty document), in the dictdiffer format of
// seed 003, 3.2.
func DiffProfiles(a, b *profile.Profile) (history.Changes, error) {
	ja := []byte("{}")
	if a != nil {
		var err error
		if ja, err = profile.Encode(a); err != nil {
			return nil, fmt.Errorf("kyc: encode profile: %w", err)
		}
	}
	jb, err := profile.Encode(b)
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
