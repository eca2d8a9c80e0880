package sqlstore

import (
	"context"
	"database/sql"
	"slices"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// The due work of each profile (storage.Record.Due and DueReasons) lives
// in profile_due (migrations sqlite/0010, postgres/0008), one row per
// profile written with it, apart from the profile row: a sweep rewrites
// only the small rows. A read of one profile or of a page in another
// order joins it with dueJoin and reads it with dueRead: a profile
// without a due row (one written by hand) reads as having nothing due,
// as DueKey spells it.
const (
	dueJoin = `LEFT JOIN profile_due d ON d.tenant = p.tenant AND d.id = p.id`
	dueRead = `coalesce(d.due_at, 9223372036854775807), d.due_reasons`
)

// SetDue implements storage.Store: one conditional UPDATE of profile_due
// per profile, through a prepared statement, all in one transaction. The
// profile row is neither read nor written: the due row's version is the
// profile's (every write of the profile writes both), so the guard reads
// it there. A single
// UPDATE ... FROM json_each of the batch was tried on SQLite: without
// ANALYZE statistics the planner scans the tenant's rows and the batch
// inside them (tenant = ? reads as about ten rows), which made a sweep
// of 20,000 profiles take minutes; one indexed lookup per profile has no
// such cliff.
func (s *Store) SetDue(ctx context.Context, tenant string, updates []storage.DueUpdate) (int, error) {
	const op = "set due"
	if id, err := driver.CheckDue(tenant, updates); err != nil {
		return 0, driver.Wrap(op, id, err)
	}
	if err := s.begin(ctx); err != nil {
		return 0, s.fail(op, "", err)
	}
	updates = lastOfEach(updates)
	if len(updates) == 0 {
		return 0, nil
	}
	var applied int
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		applied = 0
		// The statements run under a context that does not end, and ctx
		// is looked at between them: modernc.org/sqlite watches a
		// context that can end with a goroutine per statement (12% of
		// SetDue's time in a CPU profile of a sweep), and one
		// statement takes microseconds.
		stmt, err := s.txStmt(ctx, tx, setDue)
		if err != nil {
			return err
		}
		run := context.WithoutCancel(ctx)
		for _, u := range updates {
			if err := ctx.Err(); err != nil {
				return err
			}
			n, err := s.affected(stmt.ExecContext(run, tenant, u.ID, u.Version, storage.DueKey(u.Due), nullable(u.Reasons)))
			if err != nil {
				return err
			}
			applied += int(n)
		}
		return nil
	})
	return applied, s.fail(op, "", err)
}

const setDue = `UPDATE profile_due SET due_at = $4, due_reasons = $5 WHERE tenant = $1 AND id = $2 AND version = $3`

// lastOfEach returns updates with each profile named once, by its last
// update: what applying them one after the other leaves stored.
func lastOfEach(updates []storage.DueUpdate) []storage.DueUpdate {
	seen := make(map[string]bool, len(updates))
	out := make([]storage.DueUpdate, 0, len(updates))
	for _, u := range slices.Backward(updates) {
		if !seen[u.ID] {
			seen[u.ID] = true
			out = append(out, u)
		}
	}
	return out
}
