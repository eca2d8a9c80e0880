package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/internal/pgtest"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/driver"
)

// rewindDue puts a SQLite database back as migration 0005 left it: no due
// work (no profile_due, 0010), no due columns or index (0006), 0005's
// update trigger, no feed (0008). Tests that replay earlier migrations
// call it first, since SQLite cannot add a column that exists.
func rewindDue(t *testing.T, s *Store) {
	t.Helper()
	for _, q := range []string{
		`DROP TABLE profile_due`, // migration 0010, with its index
		`DROP TABLE feed`,
		`DROP TABLE feed_consumers`,
		`DROP TABLE feed_dead`,
		`DROP VIEW profile_updates`,
		`DROP INDEX profiles_external_ref`, // migration 0009
		`DROP INDEX profiles_tax_payer_id`,
		`ALTER TABLE profiles DROP COLUMN external_ref`,
		`ALTER TABLE profiles DROP COLUMN tax_payer_id`,
		`CREATE VIEW profile_updates AS SELECT 1 AS placeholder`, // 0005 drops it first
		`DELETE FROM schema_version WHERE version >= 6`,
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	tx, err := s.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := applyFile(context.Background(), tx, "migrations/sqlite/0005_relations.sql"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestDueBackfill opens a database written before migration 0006: its
// profiles read as having nothing due, match no due filter, and take
// their due work with their next write (through the one-statement update).
func TestDueBackfill(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kyc.db")
	s, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	p := &profile.Profile{ID: "ana", Version: 1, State: "active", PersonType: profile.NaturalPerson, Name: "Ana"}
	if err := s.CreateProfile(ctx, "t", storage.Record{Profile: p, Due: 5, DueReasons: []byte(`[]`)}, nil); err != nil {
		t.Fatal(err)
	}
	rewindDue(t, s)
	s.Close()

	if s, err = OpenSQLite(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := s.GetRecord(ctx, "t", "ana")
	if err != nil || r.Due != 0 || r.DueReasons != nil {
		t.Fatalf("migrated row: GetRecord = due %d, reasons %q, %v; want nothing stored", r.Due, r.DueReasons, err)
	}
	pg, err := s.ListProfiles(ctx, "t", storage.Query{DueBy: 1 << 50})
	if err != nil || len(pg.Profiles) != 0 {
		t.Fatalf("migrated row: due filter = %v, %v; want no profile", pg, err)
	}
	p.Version = 2
	if err := s.UpdateProfile(ctx, "t", storage.Record{Profile: p, Due: 7, DueReasons: []byte(`[{"kind":"x"}]`)}, history.Entry{ID: "e2", OrigID: "ana", Version: 1}); err != nil {
		t.Fatal(err)
	}
	r, err = s.GetRecord(ctx, "t", "ana")
	if err != nil || r.Due != 7 || string(r.DueReasons) != `[{"kind":"x"}]` {
		t.Fatalf("after the next write: GetRecord = due %d, reasons %q, %v; want 7", r.Due, r.DueReasons, err)
	}
	pg, err = s.ListProfiles(ctx, "t", storage.Query{DueBy: 7})
	if err != nil || len(pg.Profiles) != 1 {
		t.Fatalf("after the next write: due filter = %v, %v; want ana", pg, err)
	}
}

// TestDueTableMigrationSQLite migrates a file written at migration 0009,
// the due work in the profile rows, to the due table of migration 0010,
// and reads and writes it through the store.
func TestDueTableMigrationSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kyc.db")
	db, err := sql.Open("sqlite", sqliteDSN("file:"+path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	testDueTableMigration(t, db, dialectSQLite, 9, func() (*Store, error) { return OpenSQLite(context.Background(), path) })
}

// TestDueTableMigrationPostgres is TestDueTableMigrationSQLite from
// PostgreSQL's migration 0007 to 0008.
func TestDueTableMigrationPostgres(t *testing.T) {
	if pgtest.DSNFromEnv() {
		t.Skip("needs a fresh database")
	}
	dsn := pgtest.DSN(t)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	testDueTableMigration(t, db, dialectPostgres, 7, func() (*Store, error) { return OpenPostgres(context.Background(), dsn) })
}

// migrateTo applies the embedded migrations of dialect numbered up to
// last to db: a database as the code of that migration left it.
func migrateTo(t *testing.T, db *sql.DB, dialect string, last int) {
	t.Helper()
	files, err := fs.Glob(migrations, "migrations/"+dialect+"/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	files = slices.DeleteFunc(files, func(f string) bool {
		v, err := strconv.Atoi(strings.SplitN(path.Base(f), "_", 2)[0])
		return err != nil || v > last
	})
	s := &Store{db: db, dialect: dialect, retries: 1}
	if err := s.migrateOnce(context.Background(), files); err != nil {
		t.Fatal(err)
	}
}

// testDueTableMigration writes profiles into a database at migration
// previous as the store of that schema did (the due work in the profile
// row; a profile with nothing due holds the largest integer), opens it
// with the store, which moves the due work into profile_due, and checks
// every read and write of the due work on the migrated profiles.
func testDueTableMigration(t *testing.T, db *sql.DB, dialect string, previous int, open func() (*Store, error)) {
	ctx := context.Background()
	migrateTo(t, db, dialect, previous)
	const insertBefore = `INSERT INTO profiles (tenant, id, version, state, risk, person_type, created_at, modified_at,
		name_key, search, data, due_at, due_reasons, external_ref, tax_payer_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, NULL)`
	profiles := map[string]*profile.Profile{}
	for i, w := range []struct {
		id      string
		due     int64
		reasons any
	}{
		{"due", 5000, []byte(`[{"kind":"periodic_review"}]`)},
		{"none", math.MaxInt64, nil},
		{"later", 9000, []byte(`[{"kind":"document_expiry"}]`)},
	} {
		p := &profile.Profile{ID: w.id, Version: 2, Name: "Ana " + w.id, State: "active", Risk: "low",
			PersonType: profile.NaturalPerson, CreatedAt: profile.Timestamp(i + 1), ModifiedAt: profile.Timestamp(i + 1)}
		data, err := driver.EncodeProfile(p)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.Exec(insertBefore, "t", p.ID, p.Version, p.State, p.Risk, string(p.PersonType), int64(p.CreatedAt), int64(p.ModifiedAt),
			driver.NameKey(p), driver.SearchText(p), string(data), w.due, w.reasons)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`INSERT INTO profile_labels (tenant, profile_id, label) VALUES ('t', $1, 'vip')`, p.ID); err != nil {
			t.Fatal(err)
		}
		profiles[p.ID] = p
	}
	db.Close()

	s, err := open()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if v, err := s.SchemaVersion(ctx); err != nil || v != previous+1 {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, previous+1)
	}
	if _, err := s.db.Exec(`SELECT due_at FROM profiles`); err == nil {
		t.Error("the profile rows still have due_at")
	}
	if _, err := s.db.Exec(`SELECT due_reasons FROM profiles`); err == nil {
		t.Error("the profile rows still have due_reasons")
	}

	wantRecord := func(id string, due profile.Timestamp, reasons string) {
		t.Helper()
		r, err := s.GetRecord(ctx, "t", id)
		if err != nil || r.Due != due || string(r.DueReasons) != reasons || r.Profile.Name != profiles[id].Name {
			t.Errorf("GetRecord(%s) = due %d, reasons %q, %v; want %d, %q", id, r.Due, r.DueReasons, err, due, reasons)
		}
	}
	wantRecord("due", 5000, `[{"kind":"periodic_review"}]`)
	wantRecord("none", 0, "")
	wantRecord("later", 9000, `[{"kind":"document_expiry"}]`)
	wantDueList := func(step string, by profile.Timestamp, want ...string) {
		t.Helper()
		for _, onlyDue := range []bool{false, true} {
			pg, err := s.ListProfiles(ctx, "t", storage.Query{DueBy: by, Sort: storage.SortDue, OnlyDue: onlyDue})
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			var got []string
			for _, d := range pg.Due {
				got = append(got, d.ID)
			}
			if !slices.Equal(got, want) || pg.TotalElements != len(want) {
				t.Errorf("%s: due by %d (only due %v) = %v of %d; want %v", step, by, onlyDue, got, pg.TotalElements, want)
			}
		}
	}
	wantDueList("migrated", 6000, "due")
	wantDueList("migrated", 10000, "due", "later")

	walk, err := s.WalkProfiles(ctx, "t", storage.Walk{})
	if err != nil {
		t.Fatal(err)
	}
	var walked []string
	for _, r := range walk.Records {
		walked = append(walked, fmt.Sprintf("%s:%d", r.Profile.ID, r.Due))
	}
	if want := []string{"due:5000", "later:9000", "none:0"}; !slices.Equal(walked, want) {
		t.Errorf("walk = %v; want %v", walked, want)
	}

	// SetDue is guarded by the migrated version.
	if n, err := s.SetDue(ctx, "t", []storage.DueUpdate{{ID: "due", Version: 1, Due: 1}}); err != nil || n != 0 {
		t.Errorf("SetDue at a version the profile left = %d, %v; want 0", n, err)
	}
	if n, err := s.SetDue(ctx, "t", []storage.DueUpdate{{ID: "due", Version: 2, Due: 4000, Reasons: []byte(`[]`)}}); err != nil || n != 1 {
		t.Errorf("SetDue at the stored version = %d, %v; want 1", n, err)
	}
	wantRecord("due", 4000, `[]`)

	// An update (one statement: the labels are kept) moves the due work
	// of a profile that had none.
	p := profiles["none"]
	p.Version, p.Labels = 3, []string{"vip"}
	if err := s.UpdateProfile(ctx, "t", storage.Record{Profile: p, Due: 3000}, history.Entry{ID: "e-none", OrigID: "none", Version: 2}); err != nil {
		t.Fatal(err)
	}
	wantDueList("after an update", 6000, "none", "due")
	if n, err := s.SetDue(ctx, "t", []storage.DueUpdate{{ID: "none", Version: 2, Due: 1}}); err != nil || n != 0 {
		t.Errorf("SetDue at the version before the update = %d, %v; want 0", n, err)
	}

	// A deletion takes the due row with it.
	if err := s.DeleteProfile(ctx, "t", "due", storage.DeleteOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	wantDueList("after a deletion", 10000, "none", "later")
	var left int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM profile_due WHERE tenant = 't' AND id = 'due'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("due rows of the deleted profile: %d, %v; want 0", left, err)
	}
	if dialect == dialectSQLite {
		var check string
		if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Errorf("integrity_check = %q, %v", check, err)
		}
		if err := s.db.QueryRow(`PRAGMA foreign_key_check`).Scan(&check); !errors.Is(err, sql.ErrNoRows) {
			t.Errorf("foreign_key_check: %q, %v; want no row", check, err)
		}
	}
}
