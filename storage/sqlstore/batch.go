package sqlstore

import (
	"context"
	"database/sql"
	"slices"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

var _ storage.BatchCreator = (*Store)(nil)

// CreateBatch implements storage.BatchCreator in one transaction, with
// the multi-row INSERTs of CreateProfiles (insertMany) for the profiles,
// their due work, labels, relations and entries and the feed events: a batch of 500
// costs a few dozen statements rather than 2,500. The feed positions are
// taken as the transaction's last step, as every write takes its one: on
// PostgreSQL the tenant's counter row moves by the batch's size at once
// and stays locked until the commit (migration 0006), on SQLite the
// transaction is the one writer and reads the last position once.
func (s *Store) CreateBatch(ctx context.Context, tenant string, batch []storage.Creation) error {
	const op = "create batch"
	if id, err := driver.CheckBatch(tenant, batch); err != nil {
		return driver.Wrap(op, id, err)
	}
	var (
		ids                                     []string
		profiles, due, labels, relations, entry [][]any
		events                                  []eventRow
	)
	for _, c := range batch {
		p := c.Record.Profile
		data, err := driver.EncodeRecord(c.Record)
		if err != nil {
			return driver.Wrap(op, p.ID, err)
		}
		ev, err := encodeEvent(c.Record.Event, p.ID, p.Version)
		if err != nil {
			return driver.Wrap(op, p.ID, err)
		}
		if ev.id != "" {
			events = append(events, ev)
		}
		if c.Entry != nil {
			e, err := driver.EncodeEntry(*c.Entry)
			if err != nil {
				return driver.Wrap(op, p.ID, err)
			}
			entry = append(entry, []any{tenant, c.Entry.ID, p.ID, c.Entry.Version, string(e)})
		}
		rels, err := s.relationRows(tenant, p)
		if err != nil {
			return driver.Wrap(op, p.ID, err)
		}
		relations = append(relations, rels...)
		ids = append(ids, p.ID)
		row := newRow(c.Record, data)
		profiles = append(profiles, slices.Concat(row.args(tenant), keyArgs(p)))
		due = append(due, row.dueArgs(tenant))
		for _, l := range labelSet(p.Labels) {
			labels = append(labels, []any{tenant, p.ID, l})
		}
	}
	if len(batch) == 0 {
		return nil
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := anySpent(ctx, tx, tenant, ids); err != nil {
			return err
		}
		for _, step := range []struct {
			head string
			rows [][]any
		}{
			{"INSERT INTO profiles (" + profileColumns + ", " + keyColumns + ") VALUES ", profiles},
			{"INSERT INTO profile_due (" + dueColumns + ") VALUES ", due},
			{"INSERT INTO profile_labels (tenant, profile_id, label) VALUES ", labels},
			{"INSERT INTO profile_relations (" + s.relationColumns() + ") VALUES ", relations},
			{"INSERT INTO history (tenant, id, profile_id, version, data) VALUES ", entry},
		} {
			if err := s.insertMany(ctx, tx, step.head, step.rows); err != nil {
				return err
			}
		}
		return s.appendEvents(ctx, tx, tenant, events)
	})
	return s.fail(op, "", err)
}

const (
	// bumpHeadPostgres moves the tenant's counter by $2 and returns the
	// last position it hands out, locking the row as appendEventPostgres
	// does.
	bumpHeadPostgres = `INSERT INTO feed_heads (tenant, pos) VALUES ($1, $2)
	ON CONFLICT (tenant) DO UPDATE SET pos = feed_heads.pos + $2
	RETURNING pos`
	lastPosSQLite = `SELECT coalesce(max(pos), 0) FROM feed WHERE tenant = $1`
)

// appendEvents appends events to the tenant's feed at consecutive
// positions, in their order, in tx.
func (s *Store) appendEvents(ctx context.Context, tx *sql.Tx, tenant string, events []eventRow) error {
	if len(events) == 0 {
		return nil
	}
	var first int64
	if s.dialect == dialectPostgres {
		var last int64
		if err := tx.QueryRowContext(ctx, bumpHeadPostgres, tenant, len(events)).Scan(&last); err != nil {
			return err
		}
		first = last - int64(len(events)) + 1
	} else {
		var last int64
		if err := tx.QueryRowContext(ctx, lastPosSQLite, tenant).Scan(&last); err != nil {
			return err
		}
		first = last + 1
	}
	rows := make([][]any, len(events))
	for i, e := range events {
		rows[i] = []any{tenant, first + int64(i), e.id, e.at, string(e.data)}
	}
	return s.insertMany(ctx, tx, "INSERT INTO feed (tenant, pos, id, at, data) VALUES ", rows)
}

// ExternalRefs implements storage.BatchCreator with the index of
// migration sqlite/0009 (postgres/0007), in chunks of 500 references (see
// anySpent).
func (s *Store) ExternalRefs(ctx context.Context, tenant string, refs []string) (map[string]string, error) {
	const op = "external refs"
	if err := driver.CheckRefs(tenant, refs); err != nil {
		return nil, driver.Wrap(op, "", err)
	}
	want := slices.DeleteFunc(slices.Clone(refs), func(r string) bool { return r == "" })
	slices.Sort(want)
	want = slices.Compact(want)
	out := make(map[string]string)
	if err := s.begin(ctx); err != nil {
		return nil, s.fail(op, "", err)
	}
	for chunk := range slices.Chunk(want, 500) {
		w := &where{}
		w.add("tenant = " + w.arg(tenant))
		w.in("external_ref", chunk)
		err := func() error {
			rows, err := s.db.QueryContext(ctx, "SELECT external_ref, min(id) FROM profiles"+w.sql()+" GROUP BY external_ref", w.args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var ref, id string
				if err := rows.Scan(&ref, &id); err != nil {
					return err
				}
				out[ref] = id
			}
			return rows.Err()
		}()
		if err != nil {
			return nil, s.fail(op, "", err)
		}
	}
	return out, nil
}
