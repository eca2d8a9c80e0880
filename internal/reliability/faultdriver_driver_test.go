package reliability

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"modernc.org/sqlite"
)

// drv wraps modernc.org/sqlite once for the whole test binary: database/sql
// registrations cannot be undone.
var drv = func() *Driver {
	d, err := Register("faultdriver-test-sqlite", &sqlite.Driver{})
	if err != nil {
		panic(err)
	}
	return d
}()

func openDB(t testing.TB) *sql.DB {
	t.Helper()
	db, err := sql.Open("faultdriver-test-sqlite", "file:"+filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)`); err != nil {
		t.Fatal(err)
	}
	return db
}

// write inserts one row in a transaction and reads it back, touching every
// kind of call but connect.
func write(ctx context.Context, db *sql.DB, k string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO kv (k, v) VALUES (?, 1)`, k); err != nil {
		return err
	}
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM kv WHERE k = ?`, k).Scan(&n); err != nil {
		return err
	}
	return tx.Commit()
}

func count(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM kv`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFaultDriverFailsEveryCall(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	drv.Arm(Plan{})
	if err := write(ctx, db, "probe"); err != nil {
		t.Fatal(err)
	}
	calls := drv.Calls()
	drv.Disarm()
	if calls < 4 {
		t.Fatalf("a write made %d calls, want at least begin, exec, query, commit", calls)
	}
	var ops []string
	for n := int64(1); n <= calls; n++ {
		before := count(t, db)
		drv.Arm(Plan{FailAt: n})
		err := write(ctx, db, fmt.Sprintf("k%d", n))
		drv.Disarm()
		var ie *InjectedError
		if !errors.As(err, &ie) || !errors.Is(err, ErrInjected) || ie.N != n {
			t.Fatalf("call %d: got %v, want the injected failure", n, err)
		}
		ops = append(ops, ie.Op.String())
		if after := count(t, db); after != before {
			t.Errorf("call %d (%s) failed but the row count went from %d to %d", n, ie.Op, before, after)
		}
	}
	want := []string{"begin", "exec", "query", "next", "commit"}
	if diff := cmp.Diff(want, ops); diff != "" {
		t.Errorf("failed calls (-want +got):\n%s", diff)
	}
}

func TestFaultDriverPlan(t *testing.T) {
	tests := []struct {
		name     string
		plan     Plan
		wantErr  error
		wantRows int
	}{
		{name: "counting only", plan: Plan{}, wantRows: 1},
		{name: "commit fails and rolls back", plan: Plan{FailAt: 1, Ops: []Op{OpCommit}}, wantErr: ErrInjected},
		{name: "past the last call", plan: Plan{FailAt: 1000}, wantRows: 1},
		{
			name:    "hook error",
			plan:    Plan{Hook: hookAt(OpExec, context.Canceled)},
			wantErr: context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := openDB(t)
			drv.Arm(tt.plan)
			err := write(context.Background(), db, "k")
			drv.Disarm()
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("got %v, want %v", err, tt.wantErr)
			}
			if got := count(t, db); got != tt.wantRows {
				t.Errorf("rows: got %d, want %d", got, tt.wantRows)
			}
		})
	}
}

func hookAt(op Op, err error) func(Op, int64) error {
	return func(o Op, _ int64) error {
		if o == op {
			return err
		}
		return nil
	}
}

func TestFaultDriverDiscardsBrokenConnection(t *testing.T) {
	db := openDB(t)
	db.SetMaxOpenConns(1)
	drv.Arm(Plan{FailAt: 1, Ops: []Op{OpExec}})
	if err := write(context.Background(), db, "k"); !errors.Is(err, ErrInjected) {
		t.Fatalf("got %v, want the injected failure", err)
	}
	drv.Arm(Plan{Ops: []Op{OpConnect}})
	if err := write(context.Background(), db, "k"); err != nil {
		t.Fatal(err)
	}
	connects := drv.Calls()
	drv.Disarm()
	if connects != 1 {
		t.Errorf("connections opened after the failure: got %d, want 1 (the broken one replaced)", connects)
	}
}

func TestFaultDriverRegisterTwice(t *testing.T) {
	if _, err := Register("faultdriver-test-sqlite", &sqlite.Driver{}); !errors.Is(err, ErrRegistered) {
		t.Errorf("got %v, want ErrRegistered", err)
	}
	if _, err := Register("faultdriver-test-nil", nil); !errors.Is(err, ErrNoDriver) {
		t.Errorf("got %v, want ErrNoDriver", err)
	}
}

func TestFaultDriverOpString(t *testing.T) {
	tests := map[Op]string{OpConnect: "connect", OpRollback: "rollback", 0: "op(0)", 42: "op(42)"}
	for op, want := range tests {
		if got := op.String(); got != want {
			t.Errorf("Op(%d).String() = %q, want %q", uint8(op), got, want)
		}
	}
}

// BenchmarkWrite compares a transactional write through the wrapper, armed
// to count, with the same write through modernc.org/sqlite directly: the
// cost the wrapper adds to every call.
func BenchmarkWrite(b *testing.B) {
	for _, name := range []string{"sqlite", "faultdriver-test-sqlite"} {
		b.Run(name, func(b *testing.B) {
			db, err := sql.Open(name, "file:"+filepath.Join(b.TempDir(), "b.db")+"?_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER)`); err != nil {
				b.Fatal(err)
			}
			drv.Arm(Plan{})
			defer drv.Disarm()
			b.ReportAllocs()
			ctx := context.Background()
			i := 0
			for b.Loop() {
				i++
				if err := write(ctx, db, fmt.Sprint(i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
