package faultdriver

import (
	"context"
	"database/sql"
	"database/sql/driver"
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
