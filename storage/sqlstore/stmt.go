package sqlstore

import (
	"context"
	"database/sql"
)

// hotStatements are the statements of the hot paths (get, update, create)
// of each dialect. Preparing them once saves SQLite from parsing and
// planning the same text on every call (a third of a Get); pgx caches
// statements per connection by itself, so on PostgreSQL this only moves
// the work to open time. PostgreSQL's one-statement update is not among
// them: it runs on a connection of its own (see uncancelled), where a
// statement prepared on the pool does not reach.
func (s *Store) hotStatements() []string {
	common := []string{getProfile, getJSON, insertProfile, insertDue, upsertDue, insertEntry, insertLabel, tombstoneCount, profileCount, setDue, readChanges}
	if s.dialect == dialectPostgres {
		return append(common, appendEventPostgres, walkProfiles)
	}
	return append(common, updateOneStatement, updateProfile, labelsOf, deleteLabel, appendEventSQLite, walkProfiles)
}

// prepareAll prepares the hot statements. It runs at open time, before any
// transaction: with a one-connection pool (SQLite :memory:) a statement
// prepared inside a transaction would wait for the connection the
// transaction holds.
func (s *Store) prepareAll(ctx context.Context) error {
	s.stmts = make(map[string]*sql.Stmt)
	for _, q := range s.hotStatements() {
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			return err
		}
		s.stmts[q] = st
	}
	return nil
}

func (s *Store) closeStmts() {
	for _, st := range s.stmts {
		st.Close()
	}
}

// txExec runs query in tx, through its prepared statement when it has one.
// database/sql prepares a statement again on a connection only the first
// time the statement meets that connection.
func (s *Store) txExec(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	if st := s.stmts[query]; st != nil {
		return tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// txStmt returns query's statement prepared for tx, for a loop that runs
// it many times in one transaction.
func (s *Store) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	if st := s.stmts[query]; st != nil {
		return tx.StmtContext(ctx, st), nil
	}
	return tx.PrepareContext(ctx, query)
}

// txQueryRow is txExec for a query returning one row.
func (s *Store) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if st := s.stmts[query]; st != nil {
		return tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// txQuery is txExec for a query returning rows.
func (s *Store) txQuery(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	if st := s.stmts[query]; st != nil {
		return tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return tx.QueryContext(ctx, query, args...)
}

// queryRow runs a one-row query outside a transaction.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := s.stmts[query]; st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.db.QueryRowContext(ctx, query, args...)
}

// exec runs a statement outside a transaction.
func (s *Store) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := s.stmts[query]; st != nil {
		return st.ExecContext(ctx, args...)
	}
	return s.db.ExecContext(ctx, query, args...)
}
