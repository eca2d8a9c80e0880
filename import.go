package kyc

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/kycsdk/kyc/profile"
)

// ImportOptions qualify one Import.
type ImportOptions struct {
	// Source names the system the profile comes from; required, recorded
	// in the history entry.
	Source string
	// BatchSize is the number of profiles ImportBatch writes in one
	// atomic step (DefaultImportBatch when 0, at most storage.MaxBatch);
	// Import ignores it.
	BatchSize int
	// Strict stops an ImportBatch at its first refused profile: the
	// profiles before it are written, none after it, and the report ends
	// with it. Duplicates do not stop it.
	Strict bool
}

// Import brings in a profile from another system (a migration) with the
// facts that system recorded: its workflow state, risk, screening results,
// check results, cases and dates. It is the one way besides each fact's
// operation that such fields enter the store, and it needs the import
// permission. The state must be a state of the workflow (the initial one
// when empty); created_at and created_by are kept when given. The profile
// is stored as version 1 with a history entry that adds every field and
// says it was imported, from where and by whom, so the trail never
// presents imported facts as the library's own.
func (s *Service) Import(ctx context.Context, op Operator, p *profile.Profile, opts ImportOptions) (*profile.Profile, error) {
	s = s.resolve(ctx, op)
	if err := s.authorize(op, OpImport); err != nil {
		return nil, err
	}
	if err := requireText("import source", opts.Source); err != nil {
		return nil, err
	}
	next, err := s.imported(op, p)
	if err != nil {
		return nil, err
	}
	return s.create(ctx, op, next, EventImported, importReason(opts))
}

func importReason(opts ImportOptions) string { return fmt.Sprintf("imported from %s", opts.Source) }

// imported is the copy of p that Import and ImportBatch store: its state
// checked against the workflow (the initial one when empty), its id given
// when it has none, stamped as version 1 saved by op now, its creation
// moment and author kept when p has them.
func (s *Service) imported(op Operator, p *profile.Profile) (*profile.Profile, error) {
	next, err := copyOf(p)
	if err != nil {
		return nil, err
	}
	next.State = cmp.Or(next.State, s.initial)
	if !slices.Contains(s.wf.States(), next.State) && next.State != s.initial {
		return nil, &profile.ValidationError{Problems: []profile.Problem{{Path: "state", Code: CodeUnknownState, Message: "is not a state of the workflow"}}}
	}
	if next.ID == "" {
		next.ID = s.newID()
	}
	now := s.stamp()
	next.Version = 1
	next.CreatedAt, next.CreatedBy = cmp.Or(next.CreatedAt, now), cmp.Or(next.CreatedBy, op.User)
	next.ModifiedAt, next.ModifiedBy = now, op.User
	if s.verified[next.State] && next.VerifiedAt == 0 {
		next.VerifiedAt = now
	}
	return next, nil
}
