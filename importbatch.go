package kyc

import (
	"context"
	"errors"
	"fmt"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// DefaultImportBatch is the number of profiles ImportBatch writes in one
// atomic step unless ImportOptions.BatchSize says otherwise: past a few
// hundred, a larger transaction saves little (see BENCHMARKS.md) and holds
// the store's write lock longer.
const DefaultImportBatch = 500

// ImportOutcome is what ImportBatch did with one profile.
type ImportOutcome string

// The outcomes of ImportBatch.
const (
	// ImportCreated: stored as version 1 with its creation entry and feed
	// event, as Import stores it.
	ImportCreated ImportOutcome = "imported"
	// ImportDuplicateID: the tenant holds, or once held, a profile with
	// its id (a re-run of an import that stored it already), or an earlier
	// profile of the call has it. Nothing is written.
	ImportDuplicateID ImportOutcome = "duplicate_id"
	// ImportDuplicateRef: a profile of the tenant, or an earlier profile
	// of the call, has its external_ref (ImportResult.Existing names it).
	// Nothing is written.
	ImportDuplicateRef ImportOutcome = "duplicate_external_ref"
	// ImportRefused: the profile is invalid (ImportResult.Problems say
	// where and why) or the store refused it (too large). Nothing is
	// written.
	ImportRefused ImportOutcome = "refused"
)

// ImportResult is the outcome of one profile of an ImportBatch. It holds
// ids, JSON paths and kinds of problem, never a value of the profile.
type ImportResult struct {
	Index    int               // the profile's position in the call's slice
	ID       string            // its id, as given or assigned; empty when refused before one was
	Outcome  ImportOutcome     // what was done with it
	Existing string            // ImportDuplicateRef: the id of the profile holding the reference
	Problems []profile.Problem // ImportRefused: every problem, by JSON path
}

// ImportReport is what ImportBatch did: one result per profile, in order,
// and the count of each outcome.
type ImportReport struct {
	Results    []ImportResult
	Imported   int
	Duplicates int // both kinds of duplicate
	Refused    int
}

// ImportBatch imports many profiles (a migration) as Import imports one:
// each is checked, normalised and stamped the same way, validated like a
// new profile (relations, recipes, catalogues included), and stored as
// version 1 with the same creation entry, feed event and due work, under
// the import permission. The writes go to the store in batches of
// opts.BatchSize profiles, each in one atomic step when the store is a
// storage.BatchCreator (one by one otherwise).
//
// Duplicates are skipped, not stored: a profile whose id the tenant holds
// or held, or whose external_ref a profile of the tenant (or an earlier
// profile of the call) holds. An invalid profile is refused and reported
// with the JSON path of each problem, and the others are stored: one bad
// profile never sinks its batch. When the store refuses a batch as a
// whole, its profiles are written one by one, so that each outcome is
// exact. ImportBatch fails only for what stops the whole import (a
// refused permission, a missing source, a store failure); the report then
// covers the profiles before the failure, and the profiles it reports as
// imported are stored.
//
// A profile naming another of the same call in a relation is written
// after the batch holding the other has been, so that the relation's
// target exists when it is checked, as it would one by one. The duplicate
// check by external_ref is a read before the write: two imports of the
// same references running at once may both store them.
func (s *Service) ImportBatch(ctx context.Context, op Operator, ps []*profile.Profile, opts ImportOptions) (ImportReport, error) {
	s = s.resolve(ctx, op)
	report := ImportReport{Results: make([]ImportResult, 0, len(ps))}
	if err := s.authorize(op, OpImport); err != nil {
		return report, err
	}
	if err := requireText("import source", opts.Source); err != nil {
		return report, err
	}
	size := opts.BatchSize
	switch {
	case size <= 0:
		size = DefaultImportBatch
	case size > storage.MaxBatch:
		return report, fmt.Errorf("%w: import batch size %d over %d", ErrInvalidInput, size, storage.MaxBatch)
	}
	b := &importBatch{s: s, op: op, report: &report, reason: importReason(opts), size: size, strict: opts.Strict}
	b.creator, _ = s.store.(storage.BatchCreator)
	err := b.run(ctx, ps)
	for _, r := range report.Results {
		switch r.Outcome {
		case ImportCreated:
			report.Imported++
		case ImportRefused:
			report.Refused++
		case ImportDuplicateID, ImportDuplicateRef:
			report.Duplicates++
		}
	}
	return report, err
}

// run adds every profile of ps and writes the last batch.
func (b *importBatch) run(ctx context.Context, ps []*profile.Profile) error {
	for i, p := range ps {
		if b.stopped {
			break
		}
		if err := b.add(ctx, i, p); err != nil {
			return err
		}
	}
	return b.flush(ctx)
}

// importBatch is the state of one ImportBatch: the creations prepared and
// not yet written.
type importBatch struct {
	s       *Service
	op      Operator
	report  *ImportReport
	reason  string
	size    int
	creator storage.BatchCreator // nil: one by one
	pending []pendingCreation
	// strict stops the import at the first refusal (ImportOptions.
	// Strict); stopped says it has.
	strict, stopped bool
}

type pendingCreation struct {
	result int // index in report.Results
	rec    storage.Record
	entry  history.Entry
}

// add prepares profile i and writes the pending batch once it is full.
func (b *importBatch) add(ctx context.Context, i int, p *profile.Profile) error {
	s, op := b.s, b.op
	b.report.Results = append(b.report.Results, ImportResult{Index: i})
	res := &b.report.Results[len(b.report.Results)-1]
	next, err := s.imported(op, p)
	if err == nil {
		res.ID = next.ID
		if len(next.Relations) > 0 && len(b.pending) > 0 {
			// Its relation targets may be pending: write them first.
			if err := b.flush(ctx); err != nil {
				return err
			}
			res = &b.report.Results[len(b.report.Results)-1]
		}
		next.Normalize()
		if err = s.validate(ctx, op, nil, next); err != nil {
			s.log(ctx, string(EventImported), op.Tenant, op.User, next.ID, 0, err)
		}
	}
	var rec storage.Record
	var entry history.Entry
	if err == nil {
		rec, entry, _, err = s.newVersion(ctx, op, storage.Record{}, next, EventImported, b.reason)
	}
	if err != nil {
		problems, ok := refusal(err)
		if !ok {
			return err
		}
		res.Outcome, res.Problems = ImportRefused, problems
		if b.strict {
			// The profiles before it are written, and the report ends
			// with it.
			refusedAt := len(b.report.Results) - 1
			err := b.flush(ctx)
			if !b.stopped {
				b.report.Results = b.report.Results[:refusedAt+1]
			}
			b.stopped = true
			return err
		}
		return nil
	}
	b.pending = append(b.pending, pendingCreation{result: len(b.report.Results) - 1, rec: rec, entry: entry})
	if len(b.pending) >= b.size {
		return b.flush(ctx)
	}
	return nil
}

// flush writes the pending creations that are not duplicates.
func (b *importBatch) flush(ctx context.Context) error {
	if len(b.pending) == 0 {
		return nil
	}
	pending := b.pending
	b.pending = b.pending[:0:0]
	held, err := b.heldRefs(ctx, pending)
	if err != nil {
		return err
	}
	seen := make(map[string]string)
	write := make([]pendingCreation, 0, len(pending))
	for _, pc := range pending {
		ref := pc.rec.Profile.ExternalRef
		if ref != "" {
			id, ok := held[ref]
			if !ok {
				id, ok = seen[ref]
			}
			if ok {
				res := &b.report.Results[pc.result]
				res.Outcome, res.Existing = ImportDuplicateRef, id
				continue
			}
			seen[ref] = pc.rec.Profile.ID
		}
		write = append(write, pc)
	}
	if b.creator != nil && len(write) > 1 {
		batch := make([]storage.Creation, len(write))
		for i := range write {
			batch[i] = storage.Creation{Record: write[i].rec, Entry: &write[i].entry}
		}
		err := b.creator.CreateBatch(ctx, b.op.Tenant, batch)
		if err == nil {
			for _, pc := range write {
				b.created(ctx, pc, nil)
			}
			return nil
		}
		if !perRecord(err) {
			return err
		}
		// One creation spoiled the batch (most often an id already
		// stored): one by one, each gets its own outcome.
	}
	for _, pc := range write {
		err := b.s.store.CreateProfile(ctx, b.op.Tenant, pc.rec, &pc.entry)
		if err != nil && !perRecord(err) {
			b.s.log(ctx, string(EventImported), b.op.Tenant, b.op.User, pc.rec.Profile.ID, 1, err)
			return err
		}
		b.created(ctx, pc, err)
		if b.strict && b.report.Results[pc.result].Outcome == ImportRefused {
			b.report.Results = b.report.Results[:pc.result+1]
			b.stopped = true
			return nil
		}
	}
	return nil
}

// created records the outcome of one creation the store answered, logs it
// and, when stored, calls the event hook.
func (b *importBatch) created(ctx context.Context, pc pendingCreation, err error) {
	s, op, p := b.s, b.op, pc.rec.Profile
	s.log(ctx, string(EventImported), op.Tenant, op.User, p.ID, p.Version, err)
	res := &b.report.Results[pc.result]
	switch {
	case err == nil:
		res.Outcome = ImportCreated
		s.emit(ctx, op.Tenant, pc.rec.Event)
	case errors.Is(err, storage.ErrExists):
		res.Outcome = ImportDuplicateID
	default:
		res.Outcome, res.Problems = ImportRefused, storeProblems(err)
	}
}

// heldRefs returns, of the external references of pending, those a
// profile of the tenant holds, with its id.
func (b *importBatch) heldRefs(ctx context.Context, pending []pendingCreation) (map[string]string, error) {
	var refs []string
	for _, pc := range pending {
		if r := pc.rec.Profile.ExternalRef; r != "" {
			refs = append(refs, r)
		}
	}
	if len(refs) == 0 {
		return nil, nil
	}
	if b.creator != nil {
		return b.creator.ExternalRefs(ctx, b.op.Tenant, refs)
	}
	held := make(map[string]string)
	for _, r := range refs {
		pg, err := b.s.store.ListProfiles(ctx, b.op.Tenant, storage.Query{ExternalRef: r, Sort: storage.SortCreatedAsc, Size: 1})
		if err != nil {
			return nil, err
		}
		if len(pg.Profiles) > 0 {
			held[r] = pg.Profiles[0].ID
		}
	}
	return held, nil
}

// perRecord reports whether a store's refusal concerns the records
// written rather than the store: the import goes on without them.
func perRecord(err error) bool {
	return errors.Is(err, storage.ErrExists) || errors.Is(err, storage.ErrInvalid) || errors.Is(err, storage.ErrTooLarge)
}

// refusal returns the problems of an error that refuses one profile, and
// false for an error that stops the import.
func refusal(err error) ([]profile.Problem, bool) {
	var ve *profile.ValidationError
	switch {
	case errors.As(err, &ve):
		return ve.Problems, true
	case errors.Is(err, ErrInvalidInput):
		return []profile.Problem{{Code: "invalid", Message: "not a profile"}}, true
	case errors.Is(err, storage.ErrTooLarge), errors.Is(err, storage.ErrInvalid):
		return storeProblems(err), true
	}
	return nil, false
}

// storeProblems is a store's refusal of one profile as a problem: its
// kind only, since the store's error names the profile's id.
func storeProblems(err error) []profile.Problem {
	if errors.Is(err, storage.ErrTooLarge) {
		return []profile.Problem{{Code: "too_large", Message: "is larger than the store keeps"}}
	}
	return []profile.Problem{{Code: "store", Message: "was refused by the store"}}
}
