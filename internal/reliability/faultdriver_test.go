package reliability

// The fault-injecting driver wraps a database/sql driver so that tests can make the
// n-th call into the database fail: opening a connection, beginning,
// preparing, executing, querying, reading a row, committing or rolling back.
// It is how the reliability tests prove that a failure at any step of a
// write leaves the store exactly as it was (issue 11, "Fault injection").
//
// Start from Register, which wraps a driver under a name of its own and
// returns the *Driver that controls it; then Arm it with a Plan. Every call
// through the driver is counted, in order, from the last Arm, so a test first
// runs an operation unarmed to learn how many calls it makes (Calls), then
// repeats it once for every n.
//
// After an injected failure the connection reports itself invalid, so that
// database/sql closes it instead of reusing a connection whose state the
// failure left unknown; a failed Commit or Rollback still rolls the real
// transaction back, as a broken connection would.
//
// A Driver is safe for concurrent use; its counter is shared by every
// connection it opened, so tests that arm it run one operation at a time.
//
// It lives in the tests of this package, its only user.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
)

// Op is a kind of call into the database that a Plan counts and can fail.
type Op uint8

// The calls a Driver counts, in the order a write usually makes them.
const (
	OpConnect  Op = iota + 1 // opening a connection
	OpBegin                  // beginning a transaction
	OpPrepare                // preparing a statement
	OpExec                   // executing a statement
	OpQuery                  // running a query
	OpNext                   // reading the next row of a result
	OpCommit                 // committing a transaction
	OpRollback               // rolling a transaction back
)

var opNames = [...]string{"", "connect", "begin", "prepare", "exec", "query", "next", "commit", "rollback"}

// String names the call ("exec", "commit").
func (o Op) String() string {
	if int(o) < len(opNames) && o != 0 {
		return opNames[o]
	}
	return fmt.Sprintf("op(%d)", uint8(o))
}

// Plan says which call fails. Calls are numbered from 1 since the Arm that
// installed the plan.
type Plan struct {
	// FailAt is the number of the call that fails with an *InjectedError;
	// zero fails none, so that a plan only counts.
	FailAt int64
	// Ops restricts counting to these kinds of call; empty counts all.
	Ops []Op
	// Hook, when set, runs before every counted call with its kind and
	// number. A non-nil error fails that call with this error, which lets
	// a test cancel a context at the n-th call (returning nil) or inject
	// a driver error of its own.
	Hook func(op Op, n int64) error
}

func (p *Plan) counts(op Op) bool {
	return len(p.Ops) == 0 || slices.Contains(p.Ops, op)
}

// Driver is a database/sql driver that forwards every call to the driver it
// wraps, counting them and failing the one its Plan names.
type Driver struct {
	base     driver.Driver
	plan     atomic.Pointer[Plan]
	calls    atomic.Int64
	injected atomic.Int64
}

var (
	_ driver.Driver        = (*Driver)(nil)
	_ driver.DriverContext = (*Driver)(nil)
)

// New wraps base. The Driver starts disarmed: it counts nothing and fails
// nothing until Arm.
func New(base driver.Driver) *Driver {
	return &Driver{base: base}
}

// Register wraps base and registers the wrapper with database/sql under
// name, so that sql.Open(name, dsn) (or a store's Open taking a driver
// name) goes through it. Unlike sql.Register it returns an error, wrapping
// ErrRegistered, when the name is taken.
func Register(name string, base driver.Driver) (*Driver, error) {
	if base == nil {
		return nil, fmt.Errorf("%w: %q", ErrNoDriver, name)
	}
	if slices.Contains(sql.Drivers(), name) {
		return nil, fmt.Errorf("%w: %q", ErrRegistered, name)
	}
	d := New(base)
	sql.Register(name, d)
	return d, nil
}

// Arm installs p and restarts the numbering of calls at 1.
func (d *Driver) Arm(p Plan) {
	d.calls.Store(0)
	d.plan.Store(&p)
}

// Disarm removes the plan: calls are no longer counted nor failed.
func (d *Driver) Disarm() { d.plan.Store(nil) }

// Calls returns the number of calls counted since the last Arm.
func (d *Driver) Calls() int64 { return d.calls.Load() }

// Injected returns the number of calls failed since the Driver was made.
func (d *Driver) Injected() int64 { return d.injected.Load() }

// check counts a call of kind op and returns the failure the plan assigns
// to it, if any.
func (d *Driver) check(op Op) error {
	p := d.plan.Load()
	if p == nil || !p.counts(op) {
		return nil
	}
	n := d.calls.Add(1)
	if p.Hook != nil {
		if err := p.Hook(op, n); err != nil {
			d.injected.Add(1)
			return err
		}
	}
	if n == p.FailAt {
		d.injected.Add(1)
		return &InjectedError{Op: op, N: n}
	}
	return nil
}

// Open implements driver.Driver.
func (d *Driver) Open(name string) (driver.Conn, error) {
	if err := d.check(OpConnect); err != nil {
		return nil, err
	}
	c, err := d.base.Open(name)
	if err != nil {
		return nil, err
	}
	return &conn{d: d, base: c}, nil
}

// OpenConnector implements driver.DriverContext.
func (d *Driver) OpenConnector(name string) (driver.Connector, error) {
	dc, ok := d.base.(driver.DriverContext)
	if !ok {
		return &connector{d: d, name: name}, nil
	}
	c, err := dc.OpenConnector(name)
	if err != nil {
		return nil, err
	}
	return &connector{d: d, name: name, base: c}, nil
}

// connector opens counted connections; base is nil when the wrapped driver
// has no connectors of its own.
type connector struct {
	d    *Driver
	name string
	base driver.Connector
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	if c.base == nil {
		return c.d.Open(c.name)
	}
	if err := c.d.check(OpConnect); err != nil {
		return nil, err
	}
	bc, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &conn{d: c.d, base: bc}, nil
}

func (c *connector) Driver() driver.Driver { return c.d }

// ErrInjected is the failure a Plan injects; tests check for it with
// errors.Is to tell an injected failure from a real one.
var ErrInjected = errors.New("faultdriver: injected failure")

// InjectedError says which call failed: its kind and its number since the
// last Arm. It carries no SQL text and no argument, which may hold personal
// data.
type InjectedError struct {
	Op Op
	N  int64
}

// Error names the call.
func (e *InjectedError) Error() string {
	return fmt.Sprintf("faultdriver: injected failure at call %d (%s)", e.N, e.Op)
}

// Is makes errors.Is(err, ErrInjected) true.
func (e *InjectedError) Is(target error) bool { return target == ErrInjected }

// Errors of Register.
var (
	// ErrRegistered: a driver is already registered under the name.
	ErrRegistered = errors.New("faultdriver: driver name already registered")
	// ErrNoDriver: there is no driver to wrap.
	ErrNoDriver = errors.New("faultdriver: no driver to wrap")
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
