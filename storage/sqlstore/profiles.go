package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// row is a profile encoded with the columns queries read.
type row struct {
	p          *profile.Profile
	data       []byte
	due        profile.Timestamp
	dueReasons []byte
}

func newRow(r storage.Record, data []byte) row {
	return row{p: r.Profile, data: data, due: r.Due, dueReasons: r.DueReasons}
}

// profileColumns are the columns of a profile row args fills, in its
// order.
const profileColumns = `tenant, id, version, state, risk, person_type, created_at, modified_at, name_key, search, data`

func (r row) args(tenant string) []any {
	p := r.p
	return []any{tenant, p.ID, p.Version, p.State, p.Risk, string(p.PersonType),
		int64(p.CreatedAt), int64(p.ModifiedAt), driver.NameKey(p), driver.SearchText(p), string(r.data)}
}

// dueValues are the due moment's key (storage.DueKey) and the reasons,
// NULL rather than an empty blob for none, as stored in profile_due.
func (r row) dueValues() []any {
	return []any{storage.DueKey(r.due), nullable(r.dueReasons)}
}

// dueArgs are the values of dueColumns: the profile's row of profile_due
// (migrations sqlite/0010, postgres/0008), at the profile's version.
func (r row) dueArgs(tenant string) []any {
	return append([]any{tenant, r.p.ID, r.p.Version}, r.dueValues()...)
}

// dueColumns are the columns of profile_due dueArgs fills, in its order.
const dueColumns = `tenant, id, version, due_at, due_reasons`

// keyColumns are the columns of the exact lookups (Query.ExternalRef and
// TaxPayerID; migrations sqlite/0009 and postgres/0007) that keyArgs
// fills, in its order. Every write passes them as its last parameters,
// so that the numbering of the others stays as it was.
const keyColumns = `external_ref, tax_payer_id`

// keyArgs are the values of keyColumns: NULL, not "", for none, which
// keeps them out of the partial indexes.
func keyArgs(p *profile.Profile) []any {
	return []any{nullable(p.ExternalRef), nullable(p.TaxPayerID)}
}

// nullable is v, or NULL (not "", not an empty blob) for none.
func nullable[T string | []byte](v T) any {
	if len(v) == 0 {
		return nil
	}
	return v
}

const insertProfile = `INSERT INTO profiles (` + profileColumns + `, ` + keyColumns + `)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`

// The update names the version it was based on ($12): zero rows means the
// stored version moved, which makes lost updates impossible.
const updateProfile = `UPDATE profiles SET version = $3, state = $4, risk = $5, person_type = $6,
	created_at = $7, modified_at = $8, name_key = $9, search = $10, data = $11,
	external_ref = $13, tax_payer_id = $14
	WHERE tenant = $1 AND id = $2 AND version = $12`

// insertDue writes a new profile's due work (dueArgs); upsertDue writes
// an updated one's, in the transaction that writes the profile. The
// upsert also gives a due row to a profile that lacks one (a row written
// by hand), which would otherwise never have due work.
const (
	insertDue = `INSERT INTO profile_due (` + dueColumns + `) VALUES ($1, $2, $3, $4, $5)`
	upsertDue = insertDue + ` ON CONFLICT (tenant, id) DO UPDATE SET version = excluded.version,
	due_at = excluded.due_at, due_reasons = excluded.due_reasons`
)

// updateOneStatement is the usual SQLite update, as one statement: see the
// trigger of migration 0010 (0003 to 0009 before it), which also writes
// the due work into profile_due. Its parameters are the profile's (row.args),
// its due work ($12, $13, row.dueValues), the version it was based on
// ($14), then the labels' key ($15, labelsKey), the entry's id and JSON,
// the relations' key ($18, relationsKey; migration 0005) and the feed
// event's id, moment and JSON ($19 to $21, all NULL for none:
// eventRow.args), then keyArgs ($22, $23; migration 0009).
const updateOneStatement = `INSERT INTO profile_updates (tenant, id, version, state, risk, person_type,
	created_at, modified_at, name_key, search, data, due_at, due_reasons, base_version, labels_key, entry_id, entry, relations_key,
	event_id, event_at, event, external_ref, tax_payer_id)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`

// updatePostgres is the usual PostgreSQL update as one statement, so one
// round trip where a transaction took six: the conditional update and the
// history entry ($16, $17), the entry written only when the update
// matched. Like SQLite's trigger (migration 0004), it applies only an
// update that keeps the profile's labels ($15, the sorted set, compared
// with the stored one): the label rows would need a DELETE and an INSERT
// of one table in one statement, which CockroachDB refuses (SQLSTATE
// 0A000). Any other update matches no row and takes the transaction of
// updateInTx, which also tells a missing profile from a moved one. One
// statement is atomic, and under READ COMMITTED a concurrent update makes
// the WHERE fail on the new row version, so it returns 0. Data-modifying
// WITH over two tables is also in CockroachDB and YugabyteDB; SQLite has
// none, and gets one statement from a trigger instead
// (updateOneStatement). Its parameters are numbered as
// updateOneStatement's up to the entry ($12, $13 the due work, written to
// profile_due when the update matched; $14 the version it was based on).
// The feed event ($18 to $20, NULL for none) is appended by the last two
// clauses, only when the update matched: the tenant's counter row (see
// migration 0006) is taken after the profile's row, the order every write
// takes them in. keyArgs are $21 and $22.
const updatePostgres = `WITH u AS (
	UPDATE profiles SET version = $3, state = $4, risk = $5, person_type = $6,
		created_at = $7, modified_at = $8, name_key = $9, search = $10, data = $11,
		external_ref = $21, tax_payer_id = $22
	WHERE tenant = $1 AND id = $2 AND version = $14
	AND data->'relations' IS NOT DISTINCT FROM ($11::jsonb)->'relations'
	AND (SELECT COALESCE(array_agg(label ORDER BY label), '{}') FROM profile_labels
		WHERE tenant = $1 AND profile_id = $2) = $15::text[]
	RETURNING id
), due AS (
	INSERT INTO profile_due (` + dueColumns + `)
	SELECT $1, u.id, $3, $12, $13 FROM u
	ON CONFLICT (tenant, id) DO UPDATE SET version = excluded.version,
		due_at = excluded.due_at, due_reasons = excluded.due_reasons
), entry AS (
	INSERT INTO history (tenant, id, profile_id, version, data)
	SELECT $1, $16, u.id, $14, $17 FROM u
), head AS (
	INSERT INTO feed_heads (tenant, pos)
	SELECT $1, 1 FROM u WHERE $18::text IS NOT NULL
	ON CONFLICT (tenant) DO UPDATE SET pos = feed_heads.pos + 1
	RETURNING pos
), event AS (
	INSERT INTO feed (tenant, pos, id, at, data)
	SELECT $1, head.pos, $18, $19, $20 FROM head
)
SELECT COUNT(*) FROM u`

const insertEntry = `INSERT INTO history (tenant, id, profile_id, version, data) VALUES ($1, $2, $3, $4, $5)`

const (
	getProfile     = `SELECT p.data, ` + dueRead + ` FROM profiles p ` + dueJoin + ` WHERE p.tenant = $1 AND p.id = $2`
	getJSON        = `SELECT data, version FROM profiles WHERE tenant = $1 AND id = $2`
	profileCount   = `SELECT COUNT(*) FROM profiles WHERE tenant = $1 AND id = $2`
	tombstoneCount = `SELECT COUNT(*) FROM tombstones WHERE tenant = $1 AND id = $2`
	insertLabel    = `INSERT INTO profile_labels (tenant, profile_id, label) VALUES ($1, $2, $3)`
	deleteLabel    = `DELETE FROM profile_labels WHERE tenant = $1 AND profile_id = $2 AND label = $3`
	labelsOf       = `SELECT label FROM profile_labels WHERE tenant = $1 AND profile_id = $2`
)

// CreateProfile implements storage.Store.
func (s *Store) CreateProfile(ctx context.Context, tenant string, r storage.Record, e *history.Entry) error {
	const op = "create profile"
	p := r.Profile
	id := idOf(p)
	if err := driver.CheckCreate(tenant, p, e); err != nil {
		return driver.Wrap(op, id, err)
	}
	data, err := driver.EncodeRecord(r)
	if err != nil {
		return driver.Wrap(op, id, err)
	}
	event, err := encodeEvent(r.Event, id, p.Version)
	if err != nil {
		return driver.Wrap(op, id, err)
	}
	var entry []byte
	if e != nil {
		if entry, err = driver.EncodeEntry(*e); err != nil {
			return driver.Wrap(op, id, err)
		}
	}
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.spent(ctx, tx, tenant, id); err != nil {
			return err
		}
		row := newRow(r, data)
		if _, err := s.txExec(ctx, tx, insertProfile, slices.Concat(row.args(tenant), keyArgs(p))...); err != nil {
			return err
		}
		if _, err := s.txExec(ctx, tx, insertDue, row.dueArgs(tenant)...); err != nil {
			return err
		}
		for _, l := range labelSet(p.Labels) {
			if _, err := s.txExec(ctx, tx, insertLabel, tenant, id, l); err != nil {
				return err
			}
		}
		if err := s.insertRelations(ctx, tx, tenant, p); err != nil {
			return err
		}
		if e != nil {
			if _, err := s.txExec(ctx, tx, insertEntry, tenant, e.ID, id, e.Version, string(entry)); err != nil {
				return err
			}
		}
		return s.appendEvent(ctx, tx, tenant, event)
	})
	return s.fail(op, id, err)
}

// spent fails with ErrExists when the id belonged to a deleted profile.
func (s *Store) spent(ctx context.Context, tx *sql.Tx, tenant, id string) error {
	var n int
	if err := s.txQueryRow(ctx, tx, tombstoneCount, tenant, id).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return fmt.Errorf("%w: id of a deleted profile", storage.ErrExists)
	}
	return nil
}

// labelSet returns the distinct labels, sorted, never nil: a nil slice
// would reach PostgreSQL as NULL rather than an empty array.
func labelSet(labels []string) []string {
	out := append([]string{}, labels...)
	slices.Sort(out)
	return slices.Compact(out)
}

func idOf(p *profile.Profile) string {
	if p == nil {
		return ""
	}
	return p.ID
}

// GetProfile implements storage.Store.
func (s *Store) GetProfile(ctx context.Context, tenant, id string) (*profile.Profile, error) {
	r, err := s.GetRecord(ctx, tenant, id)
	return r.Profile, err
}

// GetRecord implements storage.Store.
func (s *Store) GetRecord(ctx context.Context, tenant, id string) (storage.Record, error) {
	const op = "get profile"
	if err := driver.CheckIDs(tenant, id); err != nil {
		return storage.Record{}, driver.Wrap(op, id, err)
	}
	if err := s.begin(ctx); err != nil {
		return storage.Record{}, s.fail(op, id, err)
	}
	var (
		data, reasons []byte
		due           int64
	)
	err := s.queryRow(ctx, getProfile, tenant, id).Scan(&data, &due, &reasons)
	if errors.Is(err, sql.ErrNoRows) {
		return storage.Record{}, driver.Wrap(op, id, storage.ErrNotFound)
	}
	if err != nil {
		return storage.Record{}, s.fail(op, id, err)
	}
	p, err := driver.DecodeProfile(data)
	if err != nil {
		return storage.Record{}, driver.Wrap(op, id, err)
	}
	if s.dialect == dialectPostgres {
		// jsonb keeps the value, not the text: its keys come back in its
		// own order and spacing, so the record carries the profile's own
		// encoding instead, as on every store.
		if data, err = driver.EncodeProfile(p); err != nil {
			return storage.Record{}, driver.Wrap(op, id, err)
		}
	}
	return storage.Record{Profile: p, JSON: data, Due: storage.DueOf(due), DueReasons: reasons}, nil
}

var _ storage.JSONGetter = (*Store)(nil)

// GetJSON implements storage.JSONGetter. On SQLite the stored text is the
// profile's encoding as it was given, answered as it is, with the version
// column beside it. PostgreSQL's jsonb keeps the value, not the text, so
// there the profile is decoded and encoded again, as GetRecord does: the
// same bytes on every store, at the cost of a GetRecord.
func (s *Store) GetJSON(ctx context.Context, tenant, id string) ([]byte, int, error) {
	const op = "get profile"
	if err := driver.CheckIDs(tenant, id); err != nil {
		return nil, 0, driver.Wrap(op, id, err)
	}
	if err := s.begin(ctx); err != nil {
		return nil, 0, s.fail(op, id, err)
	}
	var (
		data    []byte
		version int
	)
	err := s.queryRow(ctx, getJSON, tenant, id).Scan(&data, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, driver.Wrap(op, id, storage.ErrNotFound)
	}
	if err != nil {
		return nil, 0, s.fail(op, id, err)
	}
	if s.dialect == dialectPostgres {
		if data, err = reencode(data); err != nil {
			return nil, 0, driver.Wrap(op, id, err)
		}
	}
	return data, version, nil
}

// reencode turns a profile's jsonb text into the profile's own encoding.
func reencode(data []byte) ([]byte, error) {
	p, err := driver.DecodeProfile(data)
	if err != nil {
		return nil, err
	}
	return driver.EncodeProfile(p)
}

// UpdateProfile implements storage.Store. The profile row and the history
// entry are written in one atomic step: a failing entry (a duplicate id)
// rolls the profile back too. The version check is part of the update
// statement (its WHERE clause; on SQLite the trigger's precondition); the
// profile is read only when the update matched no row, to tell a missing
// profile from a moved version.
func (s *Store) UpdateProfile(ctx context.Context, tenant string, r storage.Record, e history.Entry) error {
	const op = "update profile"
	p := r.Profile
	id := idOf(p)
	if err := driver.CheckUpdate(tenant, p, e); err != nil {
		return driver.Wrap(op, id, err)
	}
	data, err := driver.EncodeRecord(r)
	if err != nil {
		return driver.Wrap(op, id, err)
	}
	entry, err := driver.EncodeEntry(e)
	if err != nil {
		return driver.Wrap(op, id, err)
	}
	event, err := encodeEvent(r.Event, id, p.Version)
	if err != nil {
		return driver.Wrap(op, id, err)
	}
	row := newRow(r, data)
	args := slices.Concat(row.args(tenant), row.dueValues(), []any{e.Version})
	labels := labelSet(p.Labels)
	var done bool
	err = s.retrying(ctx, func() (err error) {
		if s.dialect == dialectPostgres {
			done, err = s.updateOnPostgres(ctx, slices.Concat(args, []any{labels, e.ID, string(entry)}, event.args(), keyArgs(p)))
		} else {
			done, err = s.updateOnSQLite(ctx, tenant, e, slices.Concat(args, []any{labelsKey(labels), e.ID, string(entry), relationsKey(p)}, event.args(), keyArgs(p)))
		}
		return err
	})
	if err == nil && !done {
		err = s.inTx(ctx, func(tx *sql.Tx) error {
			if err := s.updateInTx(ctx, tx, tenant, row, labels, e, entry); err != nil {
				return err
			}
			return s.appendEvent(ctx, tx, tenant, event)
		})
	}
	return s.fail(op, id, err)
}

// updateOnPostgres runs updatePostgres and reports whether it applied the
// update. The statement commits by itself, so no cancellation may
// interrupt it once sent: pgx abandons a statement when its context ends,
// and the server may then commit an update the store reported as
// cancelled (see txOncePostgres). The last look at ctx is just before the
// statement; the store then waits for the server's answer, which comes in
// milliseconds: the statement waits only for the row lock another store
// write holds.
func (s *Store) updateOnPostgres(ctx context.Context, args []any) (bool, error) {
	n, err := s.uncancelled(ctx, updatePostgres, args...)
	return n == 1, err
}

// uncancelled runs a one-row, one-column count query that commits by
// itself, after a last look at ctx, under a context that does not end.
// Only the wait for a pooled connection stays cancellable.
func (s *Store) uncancelled(ctx context.Context, query string, args ...any) (int, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var n int
	err = conn.QueryRowContext(context.WithoutCancel(ctx), query, args...).Scan(&n)
	return n, err
}

// updateOnSQLite runs updateOneStatement and reports whether the trigger
// applied it. The write mutex keeps this process's writers in line, as in
// txOnce.
func (s *Store) updateOnSQLite(ctx context.Context, tenant string, e history.Entry, args []any) (bool, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	_, err := s.exec(ctx, updateOneStatement, args...)
	if isTriggerAbort(err) {
		return false, nil
	}
	if err != nil && ctx.Err() != nil && s.applied(context.WithoutCancel(ctx), tenant, e) {
		// modernc.org/sqlite reports a context that ended at any time
		// during the call, even after the statement committed (its
		// transaction, here): the store asks the database which it was,
		// so that a failure still means nothing changed.
		err = nil
	}
	if err != nil {
		return false, err
	}
	s.ckpt.wrote()
	return true, nil
}

// applied reports whether the history holds entry e of the profile, which
// the trigger writes only together with the update.
func (s *Store) applied(ctx context.Context, tenant string, e history.Entry) bool {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM history WHERE tenant = $1 AND id = $2 AND profile_id = $3 AND version = $4`,
		tenant, e.ID, e.OrigID, e.Version).Scan(&n)
	return err == nil && n == 1
}

// labelsKey spells a sorted set of labels as the trigger of migration
// 0004 does.
func labelsKey(labels []string) any {
	if len(labels) == 0 {
		return nil
	}
	var b strings.Builder
	for _, l := range labels {
		b.WriteString(strconv.Itoa(len(l)))
		b.WriteByte(':')
		b.WriteString(l)
	}
	return b.String()
}

// updateInTx is the update as a transaction's steps, for the updates the
// one-statement updates leave: the profile row, its due work, the label
// rows that changed, the relation rows, the entry. It also tells a
// missing profile from a moved one.
func (s *Store) updateInTx(ctx context.Context, tx *sql.Tx, tenant string, r row, labels []string, e history.Entry, entry []byte) error {
	p := r.p
	n, err := s.affected(s.txExec(ctx, tx, updateProfile, slices.Concat(r.args(tenant), []any{e.Version}, keyArgs(p))...))
	if err != nil {
		return err
	}
	if n != 1 {
		return s.missingOrMovedTx(ctx, tx, tenant, p.ID)
	}
	if _, err := s.txExec(ctx, tx, upsertDue, r.dueArgs(tenant)...); err != nil {
		return err
	}
	if err := s.syncLabels(ctx, tx, tenant, p.ID, labels); err != nil {
		return err
	}
	if err := s.syncRelations(ctx, tx, tenant, p); err != nil {
		return err
	}
	_, err = s.txExec(ctx, tx, insertEntry, tenant, e.ID, p.ID, e.Version, string(entry))
	return err
}

func (s *Store) affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// syncLabels makes the label rows of a profile the given set, writing only
// the rows that changed: most updates keep the labels, and an unchanged
// row costs no page write.
func (s *Store) syncLabels(ctx context.Context, tx *sql.Tx, tenant, id string, want []string) error {
	have, err := s.labels(ctx, tx, tenant, id)
	if err != nil {
		return err
	}
	for _, l := range have {
		if _, keep := slices.BinarySearch(want, l); keep {
			continue
		}
		if _, err := s.txExec(ctx, tx, deleteLabel, tenant, id, l); err != nil {
			return err
		}
	}
	for _, l := range want {
		if slices.Contains(have, l) {
			continue
		}
		if _, err := s.txExec(ctx, tx, insertLabel, tenant, id, l); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) labels(ctx context.Context, tx *sql.Tx, tenant, id string) ([]string, error) {
	rows, err := s.txQuery(ctx, tx, labelsOf, tenant, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var l string
		if err := rows.Scan(&l); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// missingOrMovedTx tells apart the two reasons an update matched no row.
func (s *Store) missingOrMovedTx(ctx context.Context, tx *sql.Tx, tenant, id string) error {
	var n int
	if err := s.txQueryRow(ctx, tx, profileCount, tenant, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return storage.ErrNotFound
	}
	return storage.ErrConflict
}

// DeleteProfile implements storage.Store: in one transaction it locks and
// reads the stored profile, checks the retention rule on it, redacts every
// history entry, deletes the profile (its labels and comments go with it)
// and records the id as spent.
//
// A forced delete deletes whatever version it finds, so an update racing
// with it must not make it fail: on PostgreSQL the read takes the row lock
// (FOR UPDATE), so no update can commit between the read and the delete,
// and the transaction runs at READ COMMITTED whatever the database's
// default, so that the lock waits for a running update and then reads its
// result. At SERIALIZABLE that wait would end in a serialization failure
// whenever an update was running, and steady updates could use up the
// retries. On SQLite, BEGIN IMMEDIATE already keeps every other writer
// out.
func (s *Store) DeleteProfile(ctx context.Context, tenant, id string, opts storage.DeleteOptions) error {
	const op = "delete profile"
	if err := driver.CheckIDs(tenant, id); err != nil {
		return driver.Wrap(op, id, err)
	}
	event, err := encodeEvent(opts.Event, id, 0)
	if err != nil {
		return driver.Wrap(op, id, err)
	}
	read := `SELECT version, data FROM profiles WHERE tenant = $1 AND id = $2`
	if s.dialect == dialectPostgres {
		read += " FOR UPDATE"
	}
	err = s.inTxOpts(ctx, &sql.TxOptions{Isolation: sql.LevelReadCommitted}, func(tx *sql.Tx) error {
		var (
			version int
			data    []byte
		)
		err := tx.QueryRowContext(ctx, read, tenant, id).Scan(&version, &data)
		if errors.Is(err, sql.ErrNoRows) {
			return storage.ErrNotFound
		}
		if err != nil {
			return err
		}
		if opts.Version != 0 && version != opts.Version {
			return storage.ErrConflict
		}
		if err := checkRetention(data, opts); err != nil {
			return err
		}
		if err := redactHistory(ctx, tx, tenant, id); err != nil {
			return err
		}
		if err := appendDeletion(ctx, tx, tenant, id, version, opts); err != nil {
			return err
		}
		if err := removeProfile(ctx, tx, tenant, id, version, opts.Now); err != nil {
			return err
		}
		return s.appendEvent(ctx, tx, tenant, event)
	})
	return s.fail(op, id, err)
}

// appendDeletion writes the entry recording the deletion, when there is one.
func appendDeletion(ctx context.Context, tx *sql.Tx, tenant, id string, version int, opts storage.DeleteOptions) error {
	e, err := driver.DeletionEntry(opts, id, version)
	if err != nil || e == nil {
		return err
	}
	data, err := driver.EncodeEntry(*e)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, insertEntry, tenant, e.ID, id, e.Version, data)
	return err
}

// checkRetention applies the retention rule to the stored profile. A
// forced delete needs nothing of it, so a profile whose JSON does not
// decode can still be deleted by force; without Force the rule cannot be
// checked, and the error says so.
func checkRetention(data []byte, opts storage.DeleteOptions) error {
	if opts.Force {
		return nil
	}
	p, err := driver.DecodeProfile(data)
	if err != nil {
		return err
	}
	return opts.Check(p)
}

// removeProfile deletes the version of the profile that was read, and its
// due work. The version condition cannot fail under the row lock (or
// SQLite's write lock); if it ever does, the transaction is retried rather
// than reported as a conflict, which DeleteProfile's contract does not
// have. The due row would go with the profile by its foreign key; it is
// deleted by name too, because a SQLite connection opened without
// foreign_keys (a DSN of the caller's, given to Open) does not cascade,
// and a due list reads profile_due alone.
func removeProfile(ctx context.Context, tx *sql.Tx, tenant, id string, version int, now time.Time) error {
	res, err := tx.ExecContext(ctx, `DELETE FROM profiles WHERE tenant = $1 AND id = $2 AND version = $3`, tenant, id, version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return cmp.Or(err, errMoved)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM profile_due WHERE tenant = $1 AND id = $2`, tenant, id); err != nil {
		return err
	}
	if now.IsZero() {
		now = time.Now()
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO tombstones (tenant, id, deleted_at) VALUES ($1, $2, $3)`, tenant, id, now.UnixMilli())
	return err
}

// redactHistory rewrites every entry of the profile with
// driver.RedactEntry. An entry that does not decode (a bug, a manual
// repair, a restore from elsewhere) cannot be redacted value by value, so
// it is redacted whole (undecodableEntry): a deletion the law may require
// is never blocked by one bad row.
func redactHistory(ctx context.Context, tx *sql.Tx, tenant, id string) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, version, data FROM history WHERE tenant = $1 AND profile_id = $2`, tenant, id)
	if err != nil {
		return err
	}
	var entries []history.Entry
	for rows.Next() {
		var (
			entryID string
			version int
			data    []byte
		)
		if err := rows.Scan(&entryID, &version, &data); err != nil {
			rows.Close()
			return err
		}
		e, err := driver.DecodeEntry(data)
		if err != nil {
			e = undecodableEntry(entryID, id, version, data)
		}
		entries = append(entries, driver.RedactEntry(e))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, e := range entries {
		data, err := driver.EncodeEntry(e)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE history SET data = $3 WHERE tenant = $1 AND id = $2`, tenant, e.ID, string(data)); err != nil {
			return err
		}
	}
	return nil
}

// undecodableEntry is what a deletion keeps of an entry that does not
// decode: its id, profile and version (from the row's own columns), who
// made it and when if the JSON still says so, and as its changes one
// change of the whole profile, with no values: which fields it changed
// cannot be read any more.
func undecodableEntry(id, profileID string, version int, data []byte) history.Entry {
	var who struct {
		CreatedAt int64  `json:"created_at"`
		CreatedBy string `json:"created_by"`
	}
	// Best effort, so the error is dropped: a field of the wrong type
	// stays zero, and invalid JSON (checked before anything is decoded)
	// leaves both zero.
	_ = json.Unmarshal(data, &who)
	return history.Entry{
		ID: id, OrigID: profileID, Version: version, CreatedAt: who.CreatedAt, CreatedBy: who.CreatedBy,
		Changes: history.Changes{{Op: history.OpChange, Path: history.Path{}}},
	}
}

// CreateProfiles stores many new profiles, without history entries or feed
// events, in one transaction: an import, or a test fixture. It fails as a
// whole, with storage.ErrExists when one id is taken. Rows go in multi-row
// INSERTs of up to batchParams parameters, so that loading 100,000
// profiles into PostgreSQL costs hundreds of round trips, not hundreds of
// thousands.
func (s *Store) CreateProfiles(ctx context.Context, tenant string, ps []*profile.Profile) error {
	const op = "create profiles"
	rows := make([]row, len(ps))
	for i, p := range ps {
		if err := driver.CheckCreate(tenant, p, nil); err != nil {
			return driver.Wrap(op, idOf(p), err)
		}
		data, err := driver.EncodeProfile(p)
		if err != nil {
			return driver.Wrap(op, p.ID, err)
		}
		rows[i] = row{p: p, data: data}
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error { return s.createRows(ctx, tx, tenant, rows) })
	return s.fail(op, "", err)
}

// batchParams bounds the parameters of one statement: SQLite allows 32,766
// and PostgreSQL 65,535. sqliteBatchParams is SQLite's much lower bound:
// modernc.org/sqlite binds each parameter by a linear search of the
// arguments for its ordinal, so a statement of n parameters costs n²/2
// comparisons; at 8,000 that search was 45% of a bulk import's time.
const (
	batchParams       = 8000
	sqliteBatchParams = 500
)

func (s *Store) createRows(ctx context.Context, tx *sql.Tx, tenant string, rows []row) error {
	var ids []string
	var profiles, due, labels [][]any
	for _, r := range rows {
		ids = append(ids, r.p.ID)
		profiles = append(profiles, append(r.args(tenant), keyArgs(r.p)...))
		due = append(due, r.dueArgs(tenant))
		for _, l := range labelSet(r.p.Labels) {
			labels = append(labels, []any{tenant, r.p.ID, l})
		}
	}
	if err := anySpent(ctx, tx, tenant, ids); err != nil {
		return err
	}
	if err := s.insertMany(ctx, tx, "INSERT INTO profiles ("+profileColumns+", "+keyColumns+") VALUES ", profiles); err != nil {
		return err
	}
	if err := s.insertMany(ctx, tx, "INSERT INTO profile_due ("+dueColumns+") VALUES ", due); err != nil {
		return err
	}
	return s.insertMany(ctx, tx, "INSERT INTO profile_labels (tenant, profile_id, label) VALUES ", labels)
}

// anySpent fails with ErrExists when one of ids belonged to a deleted
// profile. Chunks stay small because SQLite resolves each $n placeholder
// by a linear search of those before it.
func anySpent(ctx context.Context, tx *sql.Tx, tenant string, ids []string) error {
	for chunk := range slices.Chunk(ids, 500) {
		w := &where{}
		w.add("tenant = " + w.arg(tenant))
		w.in("id", chunk)
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM tombstones"+w.sql(), w.args...).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return fmt.Errorf("%w: id of a deleted profile", storage.ErrExists)
		}
	}
	return nil
}

// insertMany inserts rows (all of one width) with head, in as few
// statements as batchParams allows. SQLite gets anonymous ? placeholders:
// it resolves each $n by a linear search of those before it, which made a
// statement of thousands of parameters quadratic (most of a 100,000-row
// load went there).
func (s *Store) insertMany(ctx context.Context, tx *sql.Tx, head string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	limit := batchParams
	if s.dialect == dialectSQLite {
		limit = sqliteBatchParams
	}
	for chunk := range slices.Chunk(rows, max(1, limit/len(rows[0]))) {
		var b strings.Builder
		b.WriteString(head)
		args := make([]any, 0, len(chunk)*len(chunk[0]))
		for i, r := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, v)
				b.WriteString(s.placeholder(len(args)))
			}
			b.WriteByte(')')
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// placeholder returns the n-th parameter's placeholder for a statement
// built at run time.
func (s *Store) placeholder(n int) string {
	if s.dialect == dialectSQLite {
		return "?"
	}
	return "$" + strconv.Itoa(n)
}
