package sqlstore

import (
	"context"
	"database/sql"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// eventRow is a feed event encoded for its row; the zero value is no
// event.
type eventRow struct {
	id   string
	at   int64
	data []byte
}

// encodeEvent checks ev against the write's profile and version and
// encodes it; nil gives the zero eventRow.
func encodeEvent(ev *storage.Event, profileID string, version int) (eventRow, error) {
	if ev == nil {
		return eventRow{}, nil
	}
	if err := driver.CheckEvent(ev, profileID, version); err != nil {
		return eventRow{}, err
	}
	data, err := driver.EncodeEvent(*ev)
	if err != nil {
		return eventRow{}, err
	}
	return eventRow{id: ev.ID, at: int64(ev.At), data: data}, nil
}

// args are the event's id, moment and JSON, all NULL for none: the last
// parameters of the one-statement updates.
func (e eventRow) args() []any {
	if e.id == "" {
		return []any{nil, nil, nil}
	}
	return []any{e.id, e.at, string(e.data)}
}

// appendEventPostgres bumps the tenant's counter and appends the event at
// the new position in one statement. The counter row stays locked until
// the writing transaction ends, which is what makes positions visible in
// order (migration 0006); every write runs it as its last step, so the
// lock is held for the commit only.
const appendEventPostgres = `WITH head AS (
	INSERT INTO feed_heads (tenant, pos) VALUES ($1, 1)
	ON CONFLICT (tenant) DO UPDATE SET pos = feed_heads.pos + 1
	RETURNING pos
)
INSERT INTO feed (tenant, pos, id, at, data) SELECT $1, head.pos, $2, $3, $4 FROM head`

// appendEventSQLite appends the event at the tenant's last position plus
// one, read from the feed's key: SQLite has one writer at a time, so no
// counter row is needed to keep positions in commit order, and the
// trigger of migration 0008 does the same. Pruning keeps each tenant's
// last event, so a position is never handed out twice.
const appendEventSQLite = `INSERT INTO feed (tenant, pos, id, at, data)
	SELECT $1, coalesce((SELECT max(pos) FROM feed WHERE tenant = $1), 0) + 1, $2, $3, $4`

const readChanges = `SELECT pos, data FROM feed WHERE tenant = $1 AND pos > $2 ORDER BY pos LIMIT $3`

// appendEvent appends e, when there is one, to the tenant's feed in tx.
// A duplicate event id fails on feed_ids (storage.ErrExists) and rolls the
// whole write back.
func (s *Store) appendEvent(ctx context.Context, tx *sql.Tx, tenant string, e eventRow) error {
	if e.id == "" {
		return nil
	}
	if s.dialect == dialectPostgres {
		_, err := s.txExec(ctx, tx, appendEventPostgres, tenant, e.id, e.at, string(e.data))
		return err
	}
	_, err := s.txExec(ctx, tx, appendEventSQLite, tenant, e.id, e.at, string(e.data))
	return err
}

// Changes implements storage.Store. Every write appends its event as its
// last step under the tenant's counter row (or SQLite's one writer), so
// the committed positions are always 1..n with none missing: a plain
// read of what follows after is enough, at any isolation level.
func (s *Store) Changes(ctx context.Context, tenant string, after int64, limit int) ([]storage.Event, error) {
	const op = "changes"
	limit, err := driver.ChangesLimit(tenant, after, limit)
	if err != nil {
		return nil, driver.Wrap(op, "", err)
	}
	if err := s.begin(ctx); err != nil {
		return nil, s.fail(op, "", err)
	}
	rows, err := s.db.QueryContext(ctx, readChanges, tenant, after, limit)
	if err != nil {
		return nil, s.fail(op, "", err)
	}
	defer rows.Close()
	out := []storage.Event{}
	for rows.Next() {
		var (
			pos  int64
			data []byte
		)
		if err := rows.Scan(&pos, &data); err != nil {
			return nil, s.fail(op, "", err)
		}
		ev, err := driver.DecodeEvent(data, pos)
		if err != nil {
			return nil, driver.Wrap(op, "", err)
		}
		out = append(out, ev)
	}
	return out, s.fail(op, "", rows.Err())
}
