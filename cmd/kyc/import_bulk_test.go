package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/internal/pgtest"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// envImportScale sets the number of generated profiles TestImportScale
// imports: 1000000 for the figure of BENCHMARKS.md, which takes minutes;
// the normal run imports a few thousand.
const envImportScale = "KYC_IMPORT_SCALE"

// generatedRecord appends the NDJSON line of generated natural-person
// profile i: every field an import of a legacy system carries (its own
// id on half of them, state, creation moment and author, tax id,
// external reference, name, birth date, nationality, an email, a label).
func generatedRecord(b []byte, i int) []byte {
	b = append(b, '{')
	if i%2 == 0 {
		b = fmt.Appendf(b, `"id": "legacy-%08d", `, i)
	}
	state := "creating"
	if i%3 == 0 {
		state = "active"
	}
	return fmt.Appendf(b, `"created_at": %d, "created_by": "legacy", "person_type": "natural_person", "tax_payer_id": "20-%08d-1", "external_ref": "crm-%08d", "state": %q, `+
		`"natural_person": {"name": {"first": "Ana", "last": "Person %d"}, "gender": "female", "birth_date": 631152000000, "nationality": "AR"}, `+
		`"labels": ["migrated"], "contacts": [{"contact_type": "email", "value": "p%d@example.com", "main": true}]}`+"\n",
		1600000000000+int64(i)*1000, i, i, state, i, i)
}

// generated streams n generated records: the input of a million-record
// import is never held in memory.
func generated(n int) io.Reader {
	r, w := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(w, 1<<16)
		var line []byte
		for i := 1; i <= n; i++ {
			line = generatedRecord(line[:0], i)
			if _, err := bw.Write(line); err != nil {
				w.CloseWithError(err)
				return
			}
		}
		w.CloseWithError(bw.Flush())
	}()
	return r
}

// heapPeak samples runtime.MemStats.HeapInuse every few milliseconds
// until stop is called, which returns the largest value seen.
func heapPeak() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak.Load()
	}
}

// importGenerated runs the command's import of n generated records into
// svc under tenant, and checks every one was imported.
func importGenerated(t testing.TB, svc *kyc.Service, tenant string, n int) {
	t.Helper()
	op := kyc.Operator{Tenant: tenant, User: "bench", Scopes: []string{kyc.ScopeSupervisor}}
	imp := &importer{svc: svc, op: op, shape: shapeProfile, source: "bench", unmapped: map[unmappedKey]int64{}}
	c := checkpoint{Shape: shapeProfile, Tenant: tenant}
	ckpt := filepath.Join(t.TempDir(), "checkpoint")
	rd := newRecords(bufio.NewReaderSize(generated(n), 1<<20))
	if _, err := imp.loop(context.Background(), rd, &c, 0, ckpt, newProgress(discard{}, false, 0, "")); err != nil {
		t.Fatal(err)
	}
	if c.Imported != int64(n) {
		t.Fatalf("imported %d of %d (refused %d, skipped %d)", c.Imported, n, c.Refused, c.Skipped)
	}
}

// rawTable is the reference's table: the JSON bytes under their tenant
// and id, with the primary key a profile has, and nothing else.
const rawTable = `CREATE TABLE raw (tenant TEXT NOT NULL, id TEXT NOT NULL, data %s NOT NULL, PRIMARY KEY (tenant, id))`

// rawInsert is the SQLite reference: the same records, read by the same
// reader, stored as their bytes with multi-row INSERTs in one transaction
// per importBatch records, through the same driver and database settings
// (a store's own *sql.DB).
func rawInsert(t testing.TB, db *sql.DB, tenant string, n int) {
	t.Helper()
	ctx := context.Background()
	rd := newRecords(bufio.NewReaderSize(generated(n), 1<<20))
	const perStatement = 60 // 180 parameters: see sqliteBatchParams
	flush := func(rows [][]byte, first int64) {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for start := 0; start < len(rows); start += perStatement {
			chunk := rows[start:min(len(rows), start+perStatement)]
			var q strings.Builder
			q.WriteString("INSERT INTO raw (tenant, id, data) VALUES ")
			args := make([]any, 0, 3*len(chunk))
			for i, data := range chunk {
				if i > 0 {
					q.WriteString(", ")
				}
				q.WriteString("(?, ?, ?)")
				args = append(args, tenant, strconv.FormatInt(first+int64(start+i), 10), string(data))
			}
			if _, err := tx.ExecContext(ctx, q.String(), args...); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	var rows [][]byte
	first := int64(1)
	for {
		data, _, err := rd.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, data)
		if len(rows) == importBatch {
			flush(rows, first)
			first += int64(len(rows))
			rows = rows[:0]
		}
	}
	if len(rows) > 0 {
		flush(rows, first)
	}
}

// rawCopy is the PostgreSQL reference: the same records stored as their
// bytes (jsonb, as profiles keep them) with pgx CopyFrom, one COPY per
// importBatch records.
func rawCopy(t testing.TB, conn *pgx.Conn, tenant string, n int) {
	t.Helper()
	ctx := context.Background()
	rd := newRecords(bufio.NewReaderSize(generated(n), 1<<20))
	var rows [][]any
	flush := func() {
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"raw"}, []string{"tenant", "id", "data"}, pgx.CopyFromRows(rows)); err != nil {
			t.Fatal(err)
		}
		rows = rows[:0]
	}
	for {
		data, _, err := rd.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, []any{tenant, strconv.FormatInt(rd.n, 10), string(data)})
		if len(rows) == importBatch {
			flush()
		}
	}
	if len(rows) > 0 {
		flush()
	}
}

// bulkRecords is the number of records each iteration of
// BenchmarkBulkImport imports, into a tenant of its own.
const bulkRecords = 5000

func reportRecords(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*bulkRecords), "ns/record")
	b.ReportMetric(float64(b.N*bulkRecords)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkBulkImport prices the command's import of generated
// natural-person profiles (reading NDJSON, decoding, Service.ImportBatch
// with validation, normalisation, the creation entry, the feed event and
// the due work, batches of 500 in one transaction each, the checkpoint)
// against raw writes of the same JSON bytes through the same driver in the
// same run: SQLite's multi-row INSERTs, PostgreSQL's COPY.
func BenchmarkBulkImport(b *testing.B) {
	ctx := context.Background()
	b.Run("SQLite/Command", func(b *testing.B) {
		st, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "command.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		svc, err := kyc.New(st, kyc.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for i := 0; b.Loop(); i++ {
			importGenerated(b, svc, fmt.Sprintf("t%d", i), bulkRecords)
		}
		reportRecords(b)
	})
	b.Run("SQLite/RawInsert", func(b *testing.B) {
		st, err := sqlstore.OpenSQLite(ctx, filepath.Join(b.TempDir(), "raw.db"))
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		if _, err := st.DB().ExecContext(ctx, fmt.Sprintf(rawTable, "TEXT")); err != nil {
			b.Fatal(err)
		}
		for i := 0; b.Loop(); i++ {
			rawInsert(b, st.DB(), fmt.Sprintf("t%d", i), bulkRecords)
		}
		reportRecords(b)
	})
	if os.Getenv("KYC_BENCH_POSTGRES") == "" {
		return
	}
	dsn := pgtest.DSN(b)
	b.Run("Postgres/Command", func(b *testing.B) {
		st, err := sqlstore.OpenPostgres(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		svc, err := kyc.New(st, kyc.Options{})
		if err != nil {
			b.Fatal(err)
		}
		run := time.Now().UnixNano()
		for i := 0; b.Loop(); i++ {
			importGenerated(b, svc, fmt.Sprintf("t%d-%d", run, i), bulkRecords)
		}
		reportRecords(b)
	})
	b.Run("Postgres/RawCopy", func(b *testing.B) {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS raw; "+fmt.Sprintf(rawTable, "JSONB")); err != nil {
			b.Fatal(err)
		}
		for i := 0; b.Loop(); i++ {
			rawCopy(b, conn, fmt.Sprintf("t%d", i), bulkRecords)
		}
		reportRecords(b)
	})
}

// TestImportScale imports generated profiles into a SQLite file with the
// command's import, then writes the same bytes raw (rawInsert), and logs
// both rates, their ratio and the import's peak heap (HeapInuse, sampled).
// It asserts only what does not depend on the machine: every record
// imported, one feed event each. The figures of BENCHMARKS.md come from
// KYC_IMPORT_SCALE=100000 and 1000000 (minutes; not in CI).
func TestImportScale(t *testing.T) {
	n := 3000
	if v := os.Getenv(envImportScale); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			t.Fatalf("%s=%q: want a positive count", envImportScale, v)
		}
	} else if testing.Short() {
		n = 600
	}
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "import.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, err := kyc.New(st, kyc.Options{})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	stop := heapPeak()
	start := time.Now()
	importGenerated(t, svc, "scale", n)
	took := time.Since(start)
	peak := stop()

	var events int64
	for after := int64(0); ; {
		page, err := st.Changes(ctx, "scale", after, storage.MaxChanges)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, e := range page {
			events++
			if e.Position != events {
				t.Fatalf("event at position %d, want %d", e.Position, events)
			}
		}
		after = page[len(page)-1].Position
	}
	if events != int64(n) {
		t.Errorf("%d feed events for %d profiles", events, n)
	}

	raw, err := sqlstore.OpenSQLite(ctx, filepath.Join(dir, "raw.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.DB().ExecContext(ctx, fmt.Sprintf(rawTable, "TEXT")); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	rawInsert(t, raw.DB(), "scale", n)
	rawTook := time.Since(start)
	t.Logf("%d profiles: import %.0f/s, raw INSERT %.0f/s, ratio %.2f; import peak HeapInuse %.1f MiB",
		n, float64(n)/took.Seconds(), float64(n)/rawTook.Seconds(), took.Seconds()/rawTook.Seconds(), float64(peak)/(1<<20))
}
