package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// AddComment implements storage.Store.
func (s *Store) AddComment(ctx context.Context, tenant string, c *storage.Comment, ev *storage.Event) error {
	const op = "add comment"
	if err := driver.CheckComment(tenant, c); err != nil {
		return driver.Wrap(op, commentID(c), err)
	}
	event, err := encodeEvent(ev, c.ProfileID, 0)
	if err != nil {
		return driver.Wrap(op, c.ID, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := profileExists(ctx, tx, tenant, c.ProfileID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO comments (tenant, id, profile_id, author, body, created_at, modified_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, tenant, c.ID, c.ProfileID, c.Author, c.Body, int64(c.CreatedAt), int64(c.ModifiedAt)); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, tenant, event)
	})
	return s.fail(op, c.ID, err)
}

func commentID(c *storage.Comment) string {
	if c == nil {
		return ""
	}
	return c.ID
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func profileExists(ctx context.Context, q querier, tenant, id string) error {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM profiles WHERE tenant = $1 AND id = $2`, tenant, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w: profile", storage.ErrNotFound)
	}
	return nil
}

// UpdateComment implements storage.Store.
func (s *Store) UpdateComment(ctx context.Context, tenant string, c *storage.Comment, ev *storage.Event) error {
	const op = "update comment"
	if err := driver.CheckComment(tenant, c); err != nil {
		return driver.Wrap(op, commentID(c), err)
	}
	event, err := encodeEvent(ev, c.ProfileID, 0)
	if err != nil {
		return driver.Wrap(op, c.ID, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := oneRow(tx.ExecContext(ctx, `UPDATE comments SET body = $4, modified_at = $5
			WHERE tenant = $1 AND id = $2 AND profile_id = $3`, tenant, c.ID, c.ProfileID, c.Body, int64(c.ModifiedAt))); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, tenant, event)
	})
	return s.fail(op, c.ID, err)
}

// oneRow turns "no row matched" into ErrNotFound.
func oneRow(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return storage.ErrNotFound
	}
	return nil
}

// DeleteComment implements storage.Store.
func (s *Store) DeleteComment(ctx context.Context, tenant, profileID, commentID string, ev *storage.Event) error {
	const op = "delete comment"
	if err := cmp.Or(driver.CheckIDs(tenant, profileID), driver.CheckID("comment id", commentID)); err != nil {
		return driver.Wrap(op, commentID, err)
	}
	event, err := encodeEvent(ev, profileID, 0)
	if err != nil {
		return driver.Wrap(op, commentID, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := oneRow(tx.ExecContext(ctx, `DELETE FROM comments WHERE tenant = $1 AND id = $2 AND profile_id = $3`, tenant, commentID, profileID)); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, tenant, event)
	})
	return s.fail(op, commentID, err)
}

// ListComments implements storage.Store.
func (s *Store) ListComments(ctx context.Context, tenant, profileID string) ([]storage.Comment, error) {
	const op = "list comments"
	if err := driver.CheckIDs(tenant, profileID); err != nil {
		return nil, driver.Wrap(op, profileID, err)
	}
	if err := s.begin(ctx); err != nil {
		return nil, s.fail(op, profileID, err)
	}
	if err := profileExists(ctx, s.db, tenant, profileID); err != nil {
		return nil, s.fail(op, profileID, err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, profile_id, author, body, created_at, modified_at FROM comments
		WHERE tenant = $1 AND profile_id = $2 ORDER BY created_at, id`, tenant, profileID)
	if err != nil {
		return nil, s.fail(op, profileID, err)
	}
	defer rows.Close()
	out := []storage.Comment{}
	for rows.Next() {
		var c storage.Comment
		var created, modified int64
		if err := rows.Scan(&c.ID, &c.ProfileID, &c.Author, &c.Body, &created, &modified); err != nil {
			return nil, s.fail(op, profileID, err)
		}
		c.CreatedAt, c.ModifiedAt = profile.Timestamp(created), profile.Timestamp(modified)
		out = append(out, c)
	}
	return out, s.fail(op, profileID, rows.Err())
}
