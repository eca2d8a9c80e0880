package reliability

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"modernc.org/sqlite"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/internal/testsource"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// faultDriverName is the name the fault-injecting wrapper of
// modernc.org/sqlite is registered under. It starts with "sqlite" so that a
// store choosing its SQL dialect from the driver name picks SQLite's.
const faultDriverName = "sqlite-fault"

var faultDriver = func() *Driver {
	d, err := Register(faultDriverName, &sqlite.Driver{})
	if err != nil {
		panic(err)
	}
	return d
}()

// faultMu keeps the tests that arm faultDriver apart: its counter is
// shared.
var faultMu sync.Mutex

// sqliteFileDSN is the DSN sqlstore.OpenSQLite builds for a file, so that
// the wrapped driver sees the same connection settings.
func sqliteFileDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
}

// faultOp is one service operation the fault tests repeat for every n.
type faultOp struct {
	name string
	run  func(ctx context.Context, svc *kyc.Service, id string) error
}

var faultOps = []faultOp{
	{"create", func(ctx context.Context, svc *kyc.Service, _ string) error {
		_, err := svc.Create(ctx, maker, personNoID())
		return err
	}},
	{"update", func(ctx context.Context, svc *kyc.Service, id string) error {
		p, err := svc.Get(ctx, maker, id)
		if err != nil {
			return err
		}
		next, err := bump(p)
		if err != nil {
			return err
		}
		_, err = svc.Update(ctx, maker, next, kyc.UpdateOptions{Reason: "fault test"})
		return err
	}},
	// An update that changes the labels: the SQLite store then writes the
	// label rows in a transaction, where the update above is one
	// statement.
	{"update labels", func(ctx context.Context, svc *kyc.Service, id string) error {
		p, err := svc.Get(ctx, maker, id)
		if err != nil {
			return err
		}
		next, err := bump(p)
		if err != nil {
			return err
		}
		next.Labels = append(slices.Clone(p.Labels), fmt.Sprintf("batch-%d", p.Version))
		_, err = svc.Update(ctx, maker, next, kyc.UpdateOptions{Reason: "fault test"})
		return err
	}},
	{"transition", func(ctx context.Context, svc *kyc.Service, id string) error {
		p, err := svc.Get(ctx, maker, id)
		if err != nil {
			return err
		}
		dest := map[string]string{"creating": "pending", "pending": "under_review"}[p.State]
		_, err = svc.Transition(ctx, maker, id, dest)
		return err
	}},
}

// faultFixture is a SQLite file with one profile, a Service over it through
// the store under test, and a plain connection for dumps.
type faultFixture struct {
	svc  *kyc.Service
	id   string
	dump func(t *testing.T) []string
}

func newFaultFixture(t *testing.T, open func(path string) (storage.Store, error)) faultFixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fault.db")
	st, err := open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := newService(t, st)
	p, err := svc.Create(context.Background(), maker, person(t, "fault-seed"))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { plain.Close() })
	return faultFixture{svc: svc, id: p.ID, dump: func(t *testing.T) []string { return dumpSQL(t, plain) }}
}

// dumpSQL returns every row of every table, as text, sorted within each
// table: the whole state of the store.
func dumpSQL(t *testing.T, db *sql.DB) []string {
	t.Helper()
	tables, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	var out []string
	for _, n := range names {
		out = append(out, dumpTable(t, db, n)...)
	}
	return out
}

func dumpTable(t *testing.T, db *sql.DB, table string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM "` + table + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, table+": "+fmt.Sprint(vals...))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return sortedCopy(out)
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// stepResult is what one attempt at step n did.
type stepResult struct {
	err      error
	injected bool // the fault fired during the attempt
}

// everyStep runs op once per n = 1, 2, ... with attempt(n) arranging a
// failure at the n-th step, until an attempt in which no fault fired
// succeeds. Every failed attempt must leave the store exactly as before.
// It returns the number of faults injected.
func everyStep(t *testing.T, fx faultFixture, op faultOp, attempt func(n int64, run func(context.Context) error) stepResult) int {
	t.Helper()
	faults := 0
	for n := int64(1); n < 10000; n++ {
		before := fx.dump(t)
		res := attempt(n, func(ctx context.Context) error { return op.run(ctx, fx.svc, fx.id) })
		if res.err == nil {
			// The change stands (committed before any fault, or after
			// the point of no return: a cancellation noticed only once
			// the commit was done), so the store must show it: one
			// history entry and its one feed event.
			after := fx.dump(t)
			if diff := cmp.Diff(before, after); diff == "" {
				t.Errorf("%s, step %d: success reported but nothing stored", op.name, n)
			}
			entries, events := rowsAdded(before, after, "history: "), rowsAdded(before, after, "feed: ")
			if entries != 1 || events != 1 {
				t.Errorf("%s, step %d: success wrote %d history entries and %d feed events, want one of each", op.name, n, entries, events)
			}
			if res.injected {
				faults++
			}
			return faults
		}
		faults++
		if diff := cmp.Diff(before, fx.dump(t)); diff != "" {
			t.Fatalf("%s failed at step %d (%v) but the store changed (-before +after):\n%s", op.name, n, res.err, diff)
		}
		if strings.Contains(res.err.Error(), "John") {
			t.Errorf("%s, step %d: error carries personal data: %v", op.name, n, res.err)
		}
	}
	t.Fatalf("%s: still failing after 10000 steps", op.name)
	return faults
}

// rowsAdded counts the rows of a dump (those starting with prefix, the
// table's name) after has more than before.
func rowsAdded(before, after []string, prefix string) int {
	n := 0
	for _, r := range after {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	for _, r := range before {
		if strings.HasPrefix(r, prefix) {
			n--
		}
	}
	return n
}

// faultTotals collects the figures RELIABILITY.md reports.
var faultTotals struct {
	sync.Mutex
	byTest map[string]int
}

func recordFaults(name string, n int) {
	faultTotals.Lock()
	defer faultTotals.Unlock()
	if faultTotals.byTest == nil {
		faultTotals.byTest = map[string]int{}
	}
	faultTotals.byTest[name] += n
}

func openFaultStore(path string) (storage.Store, error) {
	return sqlstore.Open(context.Background(), faultDriverName, sqliteFileDSN(path), sqlstore.Options{Dialect: "sqlite"})
}

func openPlainStore(path string) (storage.Store, error) {
	return sqlstore.OpenSQLite(context.Background(), path)
}

// TestFaultInjection fails the n-th database call (connect, begin,
// prepare, exec, query, row read, commit, rollback) of a Create, an Update
// and a Transition, for every n, and checks that the operation fails and
// the store is exactly as before.
func TestFaultInjection(t *testing.T) {
	faultMu.Lock()
	defer faultMu.Unlock()
	fx := newFaultFixture(t, openFaultStore)
	for _, op := range faultOps {
		t.Run(op.name, func(t *testing.T) {
			faults := everyStep(t, fx, op, func(n int64, run func(context.Context) error) stepResult {
				faultDriver.Arm(Plan{FailAt: n})
				err := run(context.Background())
				injected := faultDriver.Calls() >= n
				faultDriver.Disarm()
				if injected && err != nil && !errors.Is(err, ErrInjected) {
					t.Errorf("step %d: the injected failure is lost in %v", n, err)
				}
				if injected && err == nil {
					t.Errorf("step %d: a database call failed but the operation reported success", n)
				}
				return stepResult{err: err, injected: injected}
			})
			recordFaults("driver error", faults)
			t.Logf("%s: %d faults injected, one per database call", op.name, faults)
		})
	}
}

// TestFaultCancelInDriver cancels the operation's context from within the
// driver at its n-th call (the call then runs with a cancelled context),
// for every n.
func TestFaultCancelInDriver(t *testing.T) {
	faultMu.Lock()
	defer faultMu.Unlock()
	fx := newFaultFixture(t, openFaultStore)
	for _, op := range faultOps {
		t.Run(op.name, func(t *testing.T) {
			faults := everyStep(t, fx, op, func(n int64, run func(context.Context) error) stepResult {
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				faultDriver.Arm(Plan{Hook: func(_ Op, i int64) error {
					if i == n {
						cancel()
					}
					return nil
				}})
				err := run(ctx)
				injected := faultDriver.Calls() >= n
				faultDriver.Disarm()
				return stepResult{err: err, injected: injected}
			})
			recordFaults("cancel in driver", faults)
			t.Logf("%s: cancelled at each of %d calls", op.name, faults)
		})
	}
}

// TestFaultCancelContext runs each operation with a context whose Done
// fires at its n-th check, for every n, on the SQLite store as users open
// it.
func TestFaultCancelContext(t *testing.T) {
	fx := newFaultFixture(t, openPlainStore)
	for _, op := range faultOps {
		t.Run(op.name, func(t *testing.T) {
			var lost []string
			faults := everyStep(t, fx, op, func(n int64, run func(context.Context) error) stepResult {
				ctx := testsource.NewCountdown(n)
				err := run(ctx)
				if err != nil && !errors.Is(err, context.Canceled) {
					lost = append(lost, fmt.Sprintf("step %d: %v", n, err))
				}
				return stepResult{err: err, injected: ctx.Fired()}
			})
			recordFaults("context countdown", faults)
			t.Logf("%s: cancelled at each of %d context checks", op.name, faults)
			// The store stayed as it was at every step (checked above),
			// and every error says why: it wraps context.Canceled.
			if len(lost) > 0 {
				t.Errorf("%s:\n%s", errLostCancel, strings.Join(lost, "\n"))
			}
		})
	}
}

// issueLostCancel is a known bug of storage/sqlstore, reported to its owner.
const errLostCancel = "a context cancelled during an update surfaced as " +
	"\"sql: statement is closed\" or \"sql: transaction has already been committed or rolled back\" " +
	"instead of an error wrapping context.Canceled"
