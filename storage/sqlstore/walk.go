package sqlstore

import (
	"context"
	"database/sql"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// walkProfiles reads one batch of a walk: a range of the primary key
// (tenant, id), which on SQLite is also the table's order (WITHOUT
// ROWID), so a walk reads the table front to back, and each profile's
// due work by its key in profile_due, whose order is the same. No
// OFFSET: the cursor is the last id.
const walkProfiles = `SELECT p.id, ` + dueRead + `, p.data FROM profiles p ` + dueJoin + `
	WHERE p.tenant = $1 AND p.id > $2 ORDER BY p.id LIMIT $3`

// WalkProfiles implements storage.Store. The tenant is counted once, on
// the first batch; later batches carry the count in their cursor, so a
// batch costs its rows, not the tenant's size.
func (s *Store) WalkProfiles(ctx context.Context, tenant string, w storage.Walk) (*storage.WalkPage, error) {
	const op = "walk profiles"
	req, err := driver.PrepareWalk(s.cursorKey(), tenant, w)
	if err != nil {
		return nil, err
	}
	if err := s.begin(ctx); err != nil {
		return nil, s.fail(op, "", err)
	}
	pg, err := s.walk(ctx, tenant, req)
	return pg, s.fail(op, "", err)
}

func (s *Store) walk(ctx context.Context, tenant string, req driver.WalkRequest) (*storage.WalkPage, error) {
	total := req.Total
	if req.First {
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM profiles WHERE tenant = $1`, tenant).Scan(&total); err != nil {
			return nil, err
		}
	}
	rows, err := s.query(ctx, walkProfiles, tenant, req.After, req.Size+1)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	pg := &storage.WalkPage{Records: make([]storage.Record, 0, req.Size), Total: total}
	for rows.Next() {
		if len(pg.Records) == req.Size {
			pg.Walked = req.Walked + len(pg.Records)
			pg.NextCursor = req.NextCursor(pg.Records[len(pg.Records)-1].Profile.ID, pg.Walked, total)
			return pg, nil
		}
		var (
			id            string
			due           int64
			reasons, data []byte
		)
		if err := rows.Scan(&id, &due, &reasons, &data); err != nil {
			return nil, err
		}
		p, err := driver.DecodeProfile(data)
		if err != nil {
			return nil, driver.Wrap("walk profiles", id, err)
		}
		pg.Records = append(pg.Records, storage.Record{Profile: p, Due: storage.DueOf(due), DueReasons: reasons})
	}
	pg.Walked = req.Walked + len(pg.Records)
	return pg, rows.Err()
}

// query runs query through its prepared statement when it has one.
func (s *Store) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := s.stmts[query]; st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.db.QueryContext(ctx, query, args...)
}
