package sqlstore

import (
	"cmp"
	"context"
	crand "crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver OpenPostgres uses
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

var _ storage.Store = (*Store)(nil)

//go:embed migrations
var migrations embed.FS

// Dialects, named after the migrations folder each uses.
const (
	dialectSQLite   = "sqlite"
	dialectPostgres = "postgres"
)

// Options tune a Store. The zero value is a good default.
type Options struct {
	// MaxOpenConns bounds the connection pool; zero means 8. An in-memory
	// SQLite database always uses one connection (see OpenSQLite).
	MaxOpenConns int
	// Retries bounds the attempts of a transaction that failed on a
	// transient conflict (SQLSTATE 40001 or 40P01, SQLITE_BUSY); zero means
	// 10. After the last one the error is storage.ErrRetryable.
	Retries int
	// Dialect is "sqlite" or "postgres", for a driver registered under
	// another name (a wrapper that injects faults or traces calls). Empty
	// means: from the driver name.
	Dialect string
	// CursorKey seals the store's list and history cursors. Nil means a
	// random key: a cursor then opens only in the Store that made it.
	// Processes that serve one database behind a load balancer share a
	// key made with storage.NewCursorKey from one secret, so that a
	// cursor made by one opens in the others.
	CursorKey *storage.CursorKey
}

// Store is a storage.Store on a SQL database: SQLite through
// modernc.org/sqlite or PostgreSQL (and its wire-compatible peers) through
// the pgx driver.
type Store struct {
	db      *sql.DB
	dialect string
	retries int
	closed  atomic.Bool
	// serializationRetries counts the attempts retried after a
	// serialization failure (SQLSTATE 40001), for tests that must show
	// the path ran.
	serializationRetries atomic.Int64
	// stmts holds the hot statements, prepared once when the store opens
	// (see prepareAll); read-only afterwards.
	stmts map[string]*sql.Stmt
	// writeMu serialises this process's SQLite write transactions: SQLite
	// has one writer at a time anyway, and waiting on a mutex wakes at
	// once where waiting on busy_timeout sleeps in steps of up to 100 ms.
	// Other processes are still handled by busy_timeout.
	writeMu sync.Mutex
	// ckpt runs a SQLite database's WAL checkpoints; nil for PostgreSQL and
	// for a SQLite database not in WAL mode.
	ckpt *checkpointer
	// cursors seals the list and history cursors.
	cursors *storage.CursorKey
}

// Open opens a store on driverName ("sqlite" for modernc.org/sqlite, "pgx"
// for github.com/jackc/pgx/v5/stdlib) and dsn, and applies the schema
// migrations the database lacks.
func Open(ctx context.Context, driverName, dsn string, opts Options) (*Store, error) {
	dialect, err := dialectOf(cmp.Or(opts.Dialect, driverName))
	if err != nil {
		return nil, err
	}
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open: %w", err)
	}
	db.SetMaxOpenConns(cmpOr(opts.MaxOpenConns, 8))
	db.SetMaxIdleConns(cmpOr(opts.MaxOpenConns, 8))
	s := &Store{db: db, dialect: dialect, retries: cmpOr(opts.Retries, 10), cursors: opts.CursorKey}
	if s.cursors == nil {
		s.cursors = storage.RandomCursorKey()
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.prepareAll(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlstore: prepare: %w", err)
	}
	if s.dialect == dialectSQLite {
		var mode string
		if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
			s.Close()
			return nil, fmt.Errorf("sqlstore: journal mode: %w", err)
		}
		if strings.EqualFold(mode, "wal") {
			s.startCheckpointer()
		}
	}
	return s, nil
}

func dialectOf(driverName string) (string, error) {
	switch driverName {
	case "sqlite":
		return dialectSQLite, nil
	case "pgx", "postgres":
		return dialectPostgres, nil
	}
	return "", fmt.Errorf("%w: sqlstore: unsupported driver %q (sqlite or pgx)", storage.ErrInvalid, driverName)
}

func cmpOr(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// OpenSQLite opens (creating it if needed) the SQLite database at path, or
// a private in-memory database when path is ":memory:".
//
// Connections use WAL, a busy timeout and BEGIN IMMEDIATE transactions:
// with deferred transactions, two read-then-write transactions fail with
// SQLITE_BUSY instead of waiting (DESIGN.md, Dependencies). Foreign keys
// are on. An in-memory database lives in one connection, so that every
// caller sees the same database; its operations are serialised.
//
// opts, at most one, sets the other Options (a shared CursorKey, the
// retries); an in-memory database keeps its single connection whatever
// MaxOpenConns says.
func OpenSQLite(ctx context.Context, path string, opts ...Options) (*Store, error) {
	o := oneOptions(opts)
	if path == ":memory:" {
		o.MaxOpenConns = 1
		return Open(ctx, "sqlite", sqliteDSN("file:kyc-"+randomName()+"?mode=memory", false), o)
	}
	return Open(ctx, "sqlite", sqliteDSN("file:"+(&url.URL{Path: path}).EscapedPath(), true), o)
}

// oneOptions returns the Options of a variadic argument, or the zero value.
func oneOptions(opts []Options) Options {
	if len(opts) == 0 {
		return Options{}
	}
	return opts[0]
}

func sqliteDSN(base string, wal bool) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	q := "_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate"
	if wal {
		// NORMAL is durable in WAL mode except for the last commits on a
		// power loss (sqlite.org/pragma.html#pragma_synchronous).
		q += "&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	}
	return base + sep + q
}

func randomName() string {
	var b [8]byte
	crand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
	return hex.EncodeToString(b[:])
}

// OpenPostgres opens a store on the PostgreSQL server (13 or later) of dsn,
// through the "pgx" database/sql driver of github.com/jackc/pgx/v5/stdlib.
// opts, at most one, sets the other Options.
func OpenPostgres(ctx context.Context, dsn string, opts ...Options) (*Store, error) {
	return Open(ctx, "pgx", dsn, oneOptions(opts))
}

// DB returns the underlying database, for tests and administration.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the database. Later calls fail with storage.ErrClosed.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.ckpt.stop()
	s.closeStmts()
	return s.db.Close()
}

// migrate applies the embedded migrations the database lacks, each in the
// transaction that records it in schema_version. Two processes opening the
// same database at once are safe: SQLite serialises them with BEGIN
// IMMEDIATE; on PostgreSQL the loser of a race fails on schema_version's
// key (or the catalog's) and retries, finding the work done. No advisory
// lock is used, so that CockroachDB and YugabyteDB work too.
func (s *Store) migrate(ctx context.Context) error {
	files, err := fs.Glob(migrations, "migrations/"+s.dialect+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	for attempt := 0; ; attempt++ {
		err := s.migrateOnce(ctx, files)
		if err == nil {
			return nil
		}
		if attempt >= s.retries || !(isRetryable(err) || isUnique(err) || isDuplicateObject(err)) {
			return fmt.Errorf("sqlstore: migrate: %w", err)
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

func (s *Store) migrateOnce(ctx context.Context, files []string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)`); err != nil {
		return err
	}
	applied, err := appliedVersions(ctx, tx)
	if err != nil {
		return err
	}
	for _, f := range files {
		v, err := strconv.Atoi(strings.SplitN(path.Base(f), "_", 2)[0])
		if err != nil || applied[v] {
			continue
		}
		if err := applyFile(ctx, tx, f); err != nil {
			return fmt.Errorf("%s: %w", path.Base(f), err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)`, v, time.Now().UnixMilli()); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// appliedVersions returns the migrations recorded in schema_version. Each
// file missing from it is applied, not only those above the latest: a
// migration numbered below one already applied (written on a branch of the
// code merged later) still runs, so migrations must not depend on the
// order of two written apart.
func appliedVersions(ctx context.Context, tx *sql.Tx) (map[int]bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out[v] = true
	}
	return out, rows.Err()
}

// SchemaVersion returns the latest migration applied to the database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_version`).Scan(&v)
	return v, err
}

// applyFile runs the statements of one migration file.
func applyFile(ctx context.Context, tx *sql.Tx, name string) error {
	b, err := migrations.ReadFile(name)
	if err != nil {
		return err
	}
	for _, stmt := range splitStatements(string(b)) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return err
		}
	}
	return nil
}

// splitStatements splits a migration file on the semicolons that end a
// line, except inside a trigger, whose body runs to the line "END;". The
// files hold no other procedural code. Comment-only pieces are dropped.
func splitStatements(text string) []string {
	var out []string
	var trigger strings.Builder
	for _, piece := range strings.Split(text, ";\n") {
		code := strings.TrimSpace(stripComments(piece))
		switch {
		case trigger.Len() > 0:
			trigger.WriteString(";\n" + piece)
			if strings.EqualFold(code, "END") {
				out = append(out, trigger.String())
				trigger.Reset()
			}
		case code == "":
		case strings.HasPrefix(strings.ToUpper(code), "CREATE TRIGGER"):
			trigger.WriteString(piece)
		default:
			out = append(out, piece)
		}
	}
	if trigger.Len() > 0 { // unterminated: let the database report it
		out = append(out, trigger.String())
	}
	return out
}

func stripComments(stmt string) string {
	var b strings.Builder
	for _, line := range strings.Split(stmt, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// inTx runs fn in a transaction, retrying with bounded, jittered backoff
// while the database reports a transient conflict; fn must be safe to run
// again. A failure of fn rolls everything back.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return s.inTxOpts(ctx, nil, fn)
}

// inTxOpts is inTx with transaction options, for PostgreSQL only (the
// SQLite driver refuses isolation levels); nil means the database's
// default.
func (s *Store) inTxOpts(ctx context.Context, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	if s.dialect == dialectSQLite {
		opts = nil
	}
	return s.retrying(ctx, func() error { return s.txOnce(ctx, opts, fn) })
}

// retrying runs fn, which must change nothing when it fails (one
// statement, or one transaction), again with bounded, jittered backoff
// while the database reports a transient conflict. It first checks the
// context and that the store is open (begin), so that every write does.
func (s *Store) retrying(ctx context.Context, fn func() error) error {
	if err := s.begin(ctx); err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		err := fn()
		if err == nil || !isRetryable(err) {
			return withCause(ctx, err)
		}
		if attempt >= s.retries {
			return fmt.Errorf("%w: %w", storage.ErrRetryable, err)
		}
		if sqlstate(err) == "40001" {
			s.serializationRetries.Add(1)
		}
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

func (s *Store) txOnce(ctx context.Context, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	if s.dialect == dialectPostgres {
		return s.txOncePostgres(ctx, opts, fn)
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	// modernc.org/sqlite reports a COMMIT that ran as a success even when
	// the context ended meanwhile, and database/sql rolls back a
	// transaction whose context ended before it: the outcome reported is
	// the outcome, so the transaction can live under ctx, and BEGIN
	// IMMEDIATE's wait for another process stays cancellable.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return withCause(ctx, err)
	}
	return s.finish(ctx, tx, fn)
}

// txOncePostgres runs fn in a transaction whose COMMIT no cancellation
// can interrupt. pgx abandons a statement the moment its context ends
// (it closes the connection), and a server that has received COMMIT may
// then commit after the client reported the context's error: a write
// reported as failed would be stored. So the transaction lives under a
// context that does not end, fn's statements run under ctx (a
// cancellation between them rolls everything back), and the last look at
// ctx is just before COMMIT: after it the store waits for the server's
// answer and reports it.
func (s *Store) txOncePostgres(ctx context.Context, opts *sql.TxOptions, fn func(tx *sql.Tx) error) error {
	conn, err := s.db.Conn(ctx) // waiting for a pooled connection stays cancellable
	if err != nil {
		return withCause(ctx, err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(context.WithoutCancel(ctx), opts)
	if err != nil {
		return withCause(ctx, err)
	}
	return s.finish(ctx, tx, fn)
}

// finish runs fn in tx and commits, unless fn fails or ctx ended.
func (s *Store) finish(ctx context.Context, tx *sql.Tx, fn func(tx *sql.Tx) error) error {
	if err := fn(tx); err != nil {
		tx.Rollback()
		return withCause(ctx, err)
	}
	if err := ctx.Err(); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return withCause(ctx, err)
	}
	s.ckpt.wrote()
	return nil
}

// withCause makes a failure caused by the context's end reachable with
// errors.Is(err, context.Canceled): database/sql reports a transaction or a
// prepared statement closed under a cancelled context as "statement is
// closed" or "transaction has already been committed or rolled back".
func withCause(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if cause := ctx.Err(); cause != nil && !errors.Is(err, cause) {
		return fmt.Errorf("%w (%w)", cause, err)
	}
	return err
}

// backoff sleeps 1ms, 2ms, 4ms... up to 256ms, with jitter, or returns the
// context's error.
func backoff(ctx context.Context, attempt int) error {
	d := time.Millisecond << min(attempt, 8)
	d += rand.N(d)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// begin checks the context and that the store is open.
func (s *Store) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return storage.ErrClosed
	}
	return nil
}

// fail wraps err for op and id, turning driver errors into the storage
// kinds. Context errors stay reachable with errors.Is.
func (s *Store) fail(op, id string, err error) error {
	if err == nil {
		return nil
	}
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return driver.Wrap(op, id, ctxErr(err))
	case s.closed.Load():
		return driver.Wrap(op, id, storage.ErrClosed)
	case isUnique(err):
		return driver.Wrap(op, id, fmt.Errorf("%w: %s", storage.ErrExists, safeText(err)))
	}
	return driver.Wrap(op, id, err)
}

func ctxErr(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return context.DeadlineExceeded
	}
	return context.Canceled
}

// safeText describes a driver error by its code only: the drivers' messages
// can quote the values of the failing row.
func safeText(err error) string {
	if code := sqlstate(err); code != "" {
		return "sqlstate " + code
	}
	if code, ok := sqliteCode(err); ok {
		return "sqlite code " + strconv.Itoa(code)
	}
	return "database error"
}

func isUnique(err error) bool {
	code, _ := sqliteCode(err)
	return sqlstate(err) == "23505" || code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// isTriggerAbort reports a RAISE(ABORT) of a SQLite trigger: the one of
// migrations 0003 and 0004 refusing an update it cannot apply.
func isTriggerAbort(err error) bool {
	code, _ := sqliteCode(err)
	return code == sqlite3.SQLITE_CONSTRAINT_TRIGGER
}

func isDuplicateObject(err error) bool {
	code := sqlstate(err)
	return code == "42P07" || code == "42710"
}

// sqlstate returns the SQLSTATE of a PostgreSQL error, or "".
func sqlstate(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// sqliteCode returns the extended result code of a SQLite error, and
// false (and 0, which is no failure's code) for another error.
func sqliteCode(err error) (int, bool) {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code(), true
	}
	return 0, false
}

// isRetryable reports a transient conflict: a serialization failure or
// deadlock (PostgreSQL, CockroachDB, YugabyteDB), a busy or locked
// database (SQLite, past its busy timeout), or errMoved.
func isRetryable(err error) bool {
	code, _ := sqliteCode(err)
	state := sqlstate(err)
	return errors.Is(err, errMoved) || state == "40001" || state == "40P01" ||
		code&0xff == sqlite3.SQLITE_BUSY || code&0xff == sqlite3.SQLITE_LOCKED
}
