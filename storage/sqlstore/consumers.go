package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

var _ storage.Consumers = (*Store)(nil)

// The statements of storage.Consumers: plain rows, conditional updates and
// ON CONFLICT, which SQLite, PostgreSQL and the distributed engines share.
// A lease is a row's owner and expiry, taken by a conditional UPDATE: no
// advisory lock, no LISTEN.
const (
	registerConsumer = `INSERT INTO feed_consumers (tenant, name, pos, owner, lease_until) VALUES ($1, $2, 0, '', 0)
	ON CONFLICT (tenant, name) DO NOTHING`
	claimConsumer = `UPDATE feed_consumers SET owner = $3, lease_until = $5
	WHERE tenant = $1 AND name = $2 AND (owner = $3 OR owner = '' OR lease_until <= $4)
	RETURNING pos`
	advanceConsumer = `UPDATE feed_consumers SET pos = CASE WHEN pos > $4 THEN pos ELSE $4 END, lease_until = $5
	WHERE tenant = $1 AND name = $2 AND owner = $3`
	releaseConsumer = `UPDATE feed_consumers SET owner = '', lease_until = 0 WHERE tenant = $1 AND name = $2 AND owner = $3`
	insertDead      = `INSERT INTO feed_dead (tenant, consumer, event_id, pos, attempts, reason, at, data)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (tenant, consumer, event_id) DO NOTHING`
	readDead   = `SELECT pos, attempts, reason, at, data FROM feed_dead WHERE tenant = $1 AND consumer = $2 AND pos > $3 ORDER BY pos, event_id LIMIT $4`
	removeDead = `DELETE FROM feed_dead WHERE tenant = $1 AND consumer = $2 AND event_id = $3`
	// pruneFeed deletes by the feed's key range, up to the slowest
	// consumer's position (every position when there is none), keeping
	// the tenant's last event, from which SQLite takes the next position.
	pruneFeed = `DELETE FROM feed WHERE tenant = $1 AND at < $2
	AND pos <= COALESCE((SELECT MIN(pos) FROM feed_consumers WHERE tenant = $1), 9223372036854775807)
	AND pos < (SELECT MAX(pos) FROM feed WHERE tenant = $1)`
)

// ClaimConsumer implements storage.Consumers.
func (s *Store) ClaimConsumer(ctx context.Context, tenant, name, owner string, now, until time.Time) (storage.Consumer, error) {
	const op = "claim consumer"
	if err := driver.CheckConsumer(tenant, name, owner); err != nil {
		return storage.Consumer{}, driver.Wrap(op, name, err)
	}
	if owner == "" {
		return storage.Consumer{}, driver.Wrap(op, name, fmt.Errorf("%w: empty owner", storage.ErrInvalid))
	}
	var pos int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, registerConsumer, tenant, name); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, claimConsumer, tenant, name, owner, now.UnixMilli(), until.UnixMilli()).Scan(&pos)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: lease held by another owner", storage.ErrConflict)
		}
		return err
	})
	if err != nil {
		return storage.Consumer{}, s.fail(op, name, err)
	}
	return storage.Consumer{Name: name, Position: pos, Owner: owner, LeaseUntil: time.UnixMilli(until.UnixMilli())}, nil
}

// AdvanceConsumer implements storage.Consumers.
func (s *Store) AdvanceConsumer(ctx context.Context, tenant, name, owner string, position int64, until time.Time, dead []storage.DeadLetter) error {
	const op = "advance consumer"
	if err := driver.CheckConsumer(tenant, name, owner); err != nil {
		return driver.Wrap(op, name, err)
	}
	rows := make([][]any, len(dead))
	for i, d := range dead {
		if err := driver.CheckID("event id", d.Event.ID); err != nil {
			return driver.Wrap(op, name, err)
		}
		data, err := driver.EncodeEvent(d.Event)
		if err != nil {
			return driver.Wrap(op, name, err)
		}
		rows[i] = []any{tenant, name, d.Event.ID, d.Event.Position, d.Attempts, driver.Reason(d.Reason), int64(d.At), string(data)}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		n, err := s.affected(tx.ExecContext(ctx, advanceConsumer, tenant, name, owner, position, until.UnixMilli()))
		if err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("%w: lease not held", storage.ErrConflict)
		}
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, insertDead, r...); err != nil {
				return err
			}
		}
		return nil
	})
	return s.fail(op, name, err)
}

// ReleaseConsumer implements storage.Consumers.
func (s *Store) ReleaseConsumer(ctx context.Context, tenant, name, owner string) error {
	const op = "release consumer"
	if err := driver.CheckConsumer(tenant, name, owner); err != nil {
		return driver.Wrap(op, name, err)
	}
	err := s.retrying(ctx, func() error {
		_, err := s.db.ExecContext(ctx, releaseConsumer, tenant, name, owner)
		return err
	})
	return s.fail(op, name, err)
}

// DeadLetters implements storage.Consumers.
func (s *Store) DeadLetters(ctx context.Context, tenant, name string, after int64, limit int) ([]storage.DeadLetter, error) {
	const op = "dead letters"
	if err := driver.CheckConsumer(tenant, name, ""); err != nil {
		return nil, driver.Wrap(op, name, err)
	}
	limit = driver.FeedLimit(limit)
	if err := s.begin(ctx); err != nil {
		return nil, s.fail(op, name, err)
	}
	rows, err := s.db.QueryContext(ctx, readDead, tenant, name, after, limit)
	if err != nil {
		return nil, s.fail(op, name, err)
	}
	defer rows.Close()
	out := []storage.DeadLetter{}
	for rows.Next() {
		var (
			pos, at int64
			d       storage.DeadLetter
			data    []byte
		)
		if err := rows.Scan(&pos, &d.Attempts, &d.Reason, &at, &data); err != nil {
			return nil, s.fail(op, name, err)
		}
		if d.Event, err = driver.DecodeEvent(data, pos); err != nil {
			return nil, driver.Wrap(op, name, err)
		}
		d.At = profile.Timestamp(at)
		out = append(out, d)
	}
	return out, s.fail(op, name, rows.Err())
}

// RemoveDeadLetter implements storage.Consumers.
func (s *Store) RemoveDeadLetter(ctx context.Context, tenant, name, eventID string) error {
	const op = "remove dead letter"
	if err := driver.CheckConsumer(tenant, name, ""); err != nil {
		return driver.Wrap(op, eventID, err)
	}
	err := s.retrying(ctx, func() error {
		return oneRow(s.db.ExecContext(ctx, removeDead, tenant, name, eventID))
	})
	return s.fail(op, eventID, err)
}

// PruneFeed implements storage.Consumers.
func (s *Store) PruneFeed(ctx context.Context, tenant string, before time.Time) (int, error) {
	const op = "prune feed"
	if err := driver.CheckID("tenant", tenant); err != nil {
		return 0, driver.Wrap(op, "", err)
	}
	var n int64
	err := s.inTx(ctx, func(tx *sql.Tx) (err error) {
		n, err = s.affected(tx.ExecContext(ctx, pruneFeed, tenant, before.UnixMilli()))
		return err
	})
	return int(n), s.fail(op, "", err)
}
