package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// row is a profile encoded with the columns queries read.
type row struct {
	p    *profile.Profile
	data []byte
}

func (r row) args(tenant string) []any {
	p := r.p
	return []any{tenant, p.ID, p.Version, p.State, p.Risk, string(p.PersonType),
		int64(p.CreatedAt), int64(p.ModifiedAt), storage.NameKey(p), storage.SearchText(p), string(r.data)}
}

const insertProfile = `INSERT INTO profiles
	(tenant, id, version, state, risk, person_type, created_at, modified_at, name_key, search, data)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`

// The update names the version it was based on ($12): zero rows means the
// stored version moved, which makes lost updates impossible.
const updateProfile = `UPDATE profiles SET version = $3, state = $4, risk = $5, person_type = $6,
	created_at = $7, modified_at = $8, name_key = $9, search = $10, data = $11
	WHERE tenant = $1 AND id = $2 AND version = $12`

const insertEntry = `INSERT INTO history (tenant, id, profile_id, version, data) VALUES ($1, $2, $3, $4, $5)`

// CreateProfile implements storage.Store.
func (s *Store) CreateProfile(ctx context.Context, tenant string, p *profile.Profile, e *history.Entry) error {
	const op = "create profile"
	id := idOf(p)
	if err := storage.CheckCreate(tenant, p, e); err != nil {
		return storage.Wrap(op, id, err)
	}
	data, err := storage.EncodeProfile(p)
	if err != nil {
		return storage.Wrap(op, id, err)
	}
	var entry []byte
	if e != nil {
		if entry, err = storage.EncodeEntry(*e); err != nil {
			return storage.Wrap(op, id, err)
		}
	}
	if err := s.begin(ctx); err != nil {
		return s.fail(op, id, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := spent(ctx, tx, tenant, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, insertProfile, row{p, data}.args(tenant)...); err != nil {
			return err
		}
		if err := writeLabels(ctx, tx, tenant, p); err != nil {
			return err
		}
		if e == nil {
			return nil
		}
		_, err := tx.ExecContext(ctx, insertEntry, tenant, e.ID, id, e.Version, string(entry))
		return err
	})
	return s.fail(op, id, err)
}

// spent fails with ErrExists when the id belonged to a deleted profile.
func spent(ctx context.Context, tx *sql.Tx, tenant, id string) error {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM tombstones WHERE tenant = $1 AND id = $2`, tenant, id).Scan(&n)
	if err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w: id of a deleted profile", storage.ErrExists)
	}
	return nil
}

func writeLabels(ctx context.Context, tx *sql.Tx, tenant string, p *profile.Profile) error {
	labels := slices.Clone(p.Labels)
	slices.Sort(labels)
	for _, l := range slices.Compact(labels) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO profile_labels (tenant, profile_id, label) VALUES ($1, $2, $3)`, tenant, p.ID, l); err != nil {
			return err
		}
	}
	return nil
}

func idOf(p *profile.Profile) string {
	if p == nil {
		return ""
	}
	return p.ID
}

// GetProfile implements storage.Store.
func (s *Store) GetProfile(ctx context.Context, tenant, id string) (*profile.Profile, error) {
	const op = "get profile"
	if err := checkIDs(tenant, id); err != nil {
		return nil, storage.Wrap(op, id, err)
	}
	if err := s.begin(ctx); err != nil {
		return nil, s.fail(op, id, err)
	}
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM profiles WHERE tenant = $1 AND id = $2`, tenant, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storage.Wrap(op, id, storage.ErrNotFound)
	}
	if err != nil {
		return nil, s.fail(op, id, err)
	}
	p, err := storage.DecodeProfile(data)
	return p, storage.Wrap(op, id, err)
}

func checkIDs(tenant, id string) error {
	if err := storage.CheckID("tenant", tenant); err != nil {
		return err
	}
	return storage.CheckID("profile id", id)
}

// UpdateProfile implements storage.Store. The profile row is written first
// and the history entry second, in one transaction: a failing entry (a
// duplicate id) rolls the profile back too.
func (s *Store) UpdateProfile(ctx context.Context, tenant string, p *profile.Profile, e history.Entry) error {
	const op = "update profile"
	id := idOf(p)
	if err := storage.CheckUpdate(tenant, p, e); err != nil {
		return storage.Wrap(op, id, err)
	}
	data, err := storage.EncodeProfile(p)
	if err != nil {
		return storage.Wrap(op, id, err)
	}
	entry, err := storage.EncodeEntry(e)
	if err != nil {
		return storage.Wrap(op, id, err)
	}
	if err := s.begin(ctx); err != nil {
		return s.fail(op, id, err)
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		args := append(row{p, data}.args(tenant), e.Version)
		res, err := tx.ExecContext(ctx, updateProfile, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return cmpErr(err, missingOrMoved(ctx, tx, tenant, id))
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM profile_labels WHERE tenant = $1 AND profile_id = $2`, tenant, id); err != nil {
			return err
		}
		if err := writeLabels(ctx, tx, tenant, p); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, insertEntry, tenant, e.ID, id, e.Version, string(entry))
		return err
	})
	return s.fail(op, id, err)
}

func cmpErr(first, second error) error {
	if first != nil {
		return first
	}
	return second
}

// missingOrMoved tells apart the two reasons an update matched no row.
func missingOrMoved(ctx context.Context, tx *sql.Tx, tenant, id string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM profiles WHERE tenant = $1 AND id = $2`, tenant, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return storage.ErrNotFound
	}
	return storage.ErrConflict
}

// DeleteProfile implements storage.Store: in one transaction it checks the
// retention rule on the stored profile, redacts every history entry,
// deletes the profile (its labels and comments go with it) provided it did
// not move meanwhile, and records the id as spent.
func (s *Store) DeleteProfile(ctx context.Context, tenant, id string, opts storage.DeleteOptions) error {
	const op = "delete profile"
	if err := checkIDs(tenant, id); err != nil {
		return storage.Wrap(op, id, err)
	}
	if err := s.begin(ctx); err != nil {
		return s.fail(op, id, err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var data []byte
		err := tx.QueryRowContext(ctx, `SELECT data FROM profiles WHERE tenant = $1 AND id = $2`, tenant, id).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) {
			return storage.ErrNotFound
		}
		if err != nil {
			return err
		}
		p, err := storage.DecodeProfile(data)
		if err != nil {
			return err
		}
		if err := opts.Check(p); err != nil {
			return err
		}
		if err := redactHistory(ctx, tx, tenant, id); err != nil {
			return err
		}
		return removeProfile(ctx, tx, tenant, p, opts.Now)
	})
	return s.fail(op, id, err)
}

func removeProfile(ctx context.Context, tx *sql.Tx, tenant string, p *profile.Profile, now time.Time) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM profiles WHERE tenant = $1 AND id = $2 AND version = $3`, tenant, p.ID, p.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return cmpErr(err, storage.ErrConflict)
	}
	if now.IsZero() {
		now = time.Now()
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO tombstones (tenant, id, deleted_at) VALUES ($1, $2, $3)`, tenant, p.ID, now.UnixMilli())
	return err
}

// redactHistory rewrites every entry of the profile with
// storage.RedactEntry.
func redactHistory(ctx context.Context, tx *sql.Tx, tenant, id string) error {
	rows, err := tx.QueryContext(ctx, `SELECT data FROM history WHERE tenant = $1 AND profile_id = $2`, tenant, id)
	if err != nil {
		return err
	}
	var entries []history.Entry
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			rows.Close()
			return err
		}
		e, err := storage.DecodeEntry(data)
		if err != nil {
			rows.Close()
			return err
		}
		entries = append(entries, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, e := range entries {
		data, err := storage.EncodeEntry(storage.RedactEntry(e))
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE history SET data = $3 WHERE tenant = $1 AND id = $2`, tenant, e.ID, string(data)); err != nil {
			return err
		}
	}
	return nil
}

// CreateProfiles stores many new profiles, without history entries, in one
// transaction: an import, or a test fixture. It fails as a whole, with
// storage.ErrExists when one id is taken.
func (s *Store) CreateProfiles(ctx context.Context, tenant string, ps []*profile.Profile) error {
	const op = "create profiles"
	rows := make([]row, len(ps))
	for i, p := range ps {
		if err := storage.CheckCreate(tenant, p, nil); err != nil {
			return storage.Wrap(op, idOf(p), err)
		}
		data, err := storage.EncodeProfile(p)
		if err != nil {
			return storage.Wrap(op, p.ID, err)
		}
		rows[i] = row{p, data}
	}
	if err := s.begin(ctx); err != nil {
		return s.fail(op, "", err)
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			if err := spent(ctx, tx, tenant, r.p.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, insertProfile, r.args(tenant)...); err != nil {
				return err
			}
			if err := writeLabels(ctx, tx, tenant, r.p); err != nil {
				return err
			}
		}
		return nil
	})
	return s.fail(op, "", err)
}
