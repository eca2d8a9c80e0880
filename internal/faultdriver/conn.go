package faultdriver

import (
	"context"
	"database/sql/driver"
	"sync/atomic"
)

// conn forwards to the wrapped connection. Once a call on it has failed by
// plan, it reports itself invalid so that database/sql discards it, as it
// would a connection that broke.
type conn struct {
	d    *Driver
	base driver.Conn
	bad  atomic.Bool
}

var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
)

// fail counts a call of kind op and marks the connection broken when the
// plan fails it.
func (c *conn) fail(op Op) error {
	err := c.d.check(op)
	if err != nil {
		c.bad.Store(true)
	}
	return err
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	if err := c.fail(OpPrepare); err != nil {
		return nil, err
	}
	var (
		s   driver.Stmt
		err error
	)
	if pc, ok := c.base.(driver.ConnPrepareContext); ok {
		s, err = pc.PrepareContext(ctx, query)
	} else {
		s, err = c.base.Prepare(query)
	}
	if err != nil {
		return nil, err
	}
	return &stmt{c: c, base: s}, nil
}

func (c *conn) Close() error { return c.base.Close() }

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.fail(OpBegin); err != nil {
		return nil, err
	}
	var (
		bt  driver.Tx
		err error
	)
	if b, ok := c.base.(driver.ConnBeginTx); ok {
		bt, err = b.BeginTx(ctx, opts)
	} else {
		bt, err = c.base.Begin() //nolint:staticcheck // the wrapped driver has nothing newer
	}
	if err != nil {
		return nil, err
	}
	return &tx{c: c, base: bt}, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	ex, ok := c.base.(driver.ExecerContext)
	if !ok {
		// database/sql then prepares the statement, which is counted.
		return nil, driver.ErrSkip
	}
	if err := c.fail(OpExec); err != nil {
		return nil, err
	}
	return ex.ExecContext(ctx, query, args)
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.base.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	if err := c.fail(OpQuery); err != nil {
		return nil, err
	}
	r, err := q.QueryContext(ctx, query, args)
	if err != nil {
		return nil, err
	}
	return &rows{c: c, base: r}, nil
}

// CheckNamedValue lets the wrapped driver convert arguments as it would
// unwrapped; driver.ErrSkip falls back to database/sql's conversions.
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if nc, ok := c.base.(driver.NamedValueChecker); ok {
		return nc.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

func (c *conn) ResetSession(ctx context.Context) error {
	if c.bad.Load() {
		return driver.ErrBadConn
	}
	if sr, ok := c.base.(driver.SessionResetter); ok {
		return sr.ResetSession(ctx)
	}
	return nil
}

func (c *conn) IsValid() bool {
	if c.bad.Load() {
		return false
	}
	if v, ok := c.base.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

func (c *conn) Ping(ctx context.Context) error {
	if p, ok := c.base.(driver.Pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}

// tx forwards to the wrapped transaction. A commit that fails by plan rolls
// the real transaction back, so that the failure means "not committed", the
// outcome a caller must assume; a rollback always reaches the database.
type tx struct {
	c    *conn
	base driver.Tx
}

func (t *tx) Commit() error {
	if err := t.c.fail(OpCommit); err != nil {
		t.base.Rollback()
		return err
	}
	return t.base.Commit()
}

func (t *tx) Rollback() error {
	err := t.c.fail(OpRollback)
	if rerr := t.base.Rollback(); err == nil {
		return rerr
	}
	return err
}

// stmt forwards to the wrapped prepared statement.
type stmt struct {
	c    *conn
	base driver.Stmt
}

var (
	_ driver.StmtExecContext  = (*stmt)(nil)
	_ driver.StmtQueryContext = (*stmt)(nil)
)

func (s *stmt) Close() error  { return s.base.Close() }
func (s *stmt) NumInput() int { return s.base.NumInput() }

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	if err := s.c.fail(OpExec); err != nil {
		return nil, err
	}
	if se, ok := s.base.(driver.StmtExecContext); ok {
		return se.ExecContext(ctx, args)
	}
	return s.base.Exec(values(args)) //nolint:staticcheck // the wrapped driver has nothing newer
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if err := s.c.fail(OpQuery); err != nil {
		return nil, err
	}
	var (
		r   driver.Rows
		err error
	)
	if sq, ok := s.base.(driver.StmtQueryContext); ok {
		r, err = sq.QueryContext(ctx, args)
	} else {
		r, err = s.base.Query(values(args)) //nolint:staticcheck // the wrapped driver has nothing newer
	}
	if err != nil {
		return nil, err
	}
	return &rows{c: s.c, base: r}, nil
}

// CheckNamedValue defers to the statement's own checker, then the
// connection's.
func (s *stmt) CheckNamedValue(nv *driver.NamedValue) error {
	if nc, ok := s.base.(driver.NamedValueChecker); ok {
		return nc.CheckNamedValue(nv)
	}
	return s.c.CheckNamedValue(nv)
}

// rows forwards to the wrapped result, counting every row read.
type rows struct {
	c    *conn
	base driver.Rows
}

func (r *rows) Columns() []string { return r.base.Columns() }
func (r *rows) Close() error      { return r.base.Close() }

func (r *rows) Next(dest []driver.Value) error {
	if err := r.c.fail(OpNext); err != nil {
		return err
	}
	return r.base.Next(dest)
}

func named(args []driver.Value) []driver.NamedValue {
	out := make([]driver.NamedValue, len(args))
	for i, v := range args {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

func values(args []driver.NamedValue) []driver.Value {
	out := make([]driver.Value, len(args))
	for i, a := range args {
		out[i] = a.Value
	}
	return out
}
