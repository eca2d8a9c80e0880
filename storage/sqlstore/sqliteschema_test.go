package sqlstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// sqliteTooNew are the SQL functions and syntax newer than SQLite 3.37,
// the oldest release the schema must open in (Debian 12 ships 3.40).
var sqliteTooNew = []struct {
	name string
	re   *regexp.Regexp
}{
	{"octet_length (3.43)", regexp.MustCompile(`(?i)\boctet_length\s*\(`)},
	{"string_agg (3.44)", regexp.MustCompile(`(?i)\bstring_agg\s*\(`)},
	{"concat (3.44)", regexp.MustCompile(`(?i)\bconcat(_ws)?\s*\(`)},
	{"unixepoch (3.38)", regexp.MustCompile(`(?i)\bunixepoch\s*\(`)},
	{"timediff (3.43)", regexp.MustCompile(`(?i)\btimediff\s*\(`)},
	{"format (3.38)", regexp.MustCompile(`(?i)\bformat\s*\(`)},
	{"-> and ->> (3.38)", regexp.MustCompile(`->`)},
	{"JSON functions (built in only from 3.38)", regexp.MustCompile(`(?i)\bjsonb?_\w+\s*\(`)},
	{"RIGHT or FULL JOIN (3.39)", regexp.MustCompile(`(?i)\b(RIGHT|FULL)\s+(OUTER\s+)?JOIN\b`)},
	{"IS DISTINCT FROM (3.39)", regexp.MustCompile(`(?i)\bIS\s+(NOT\s+)?DISTINCT\s+FROM\b`)},
	{"unistr (3.50)", regexp.MustCompile(`(?i)\bunistr\s*\(`)},
}

// aggregateOrderBy reports an ORDER BY inside the parentheses of an
// aggregate call, group_concat(x ORDER BY y): SQLite 3.44.
func aggregateOrderBy(sql string) bool {
	re := regexp.MustCompile(`(?i)\b(group_concat|json_group_array|json_group_object|string_agg)\s*\(`)
	orderBy := regexp.MustCompile(`(?i)\bORDER\s+BY\b`)
	for _, loc := range re.FindAllStringIndex(sql, -1) {
		depth, i := 1, loc[1]
		for ; i < len(sql) && depth > 0; i++ {
			switch sql[i] {
			case '(':
				depth++
			case ')':
				depth--
			}
		}
		if orderBy.MatchString(sql[loc[1]:i]) {
			return true
		}
	}
	return false
}

// TestSQLiteSchemaForOldSQLite reads the schema a migrated database holds
// (sqlite_master, what any SQLite opening the file parses) and fails on
// what SQLite 3.37 cannot parse or run. TestStockSQLite3 then opens such a
// file with the sqlite3 program of the machine.
func TestSQLiteSchemaForOldSQLite(t *testing.T) {
	s, err := OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "kyc.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.db.Query(`SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var typ, name, sql string
		if err := rows.Scan(&typ, &name, &sql); err != nil {
			t.Fatal(err)
		}
		n++
		for _, r := range sqliteTooNew {
			if m := r.re.FindString(sql); m != "" {
				t.Errorf("%s %s uses %s (%s):\n%s", typ, name, r.name, m, sql)
			}
		}
		if aggregateOrderBy(sql) {
			t.Errorf("%s %s uses ORDER BY in an aggregate (3.44):\n%s", typ, name, sql)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("schema has only %d objects", n)
	}
	if !aggregateOrderBy(`SELECT group_concat(length(CAST(l AS BLOB)) || l, '' ORDER BY l)`) {
		t.Error("aggregateOrderBy misses an ORDER BY after nested calls")
	}
}

// envRequireSQLite3, set to 1, turns a missing sqlite3 program into a
// failure of TestStockSQLite3 (CI sets it, after installing Debian's).
const envRequireSQLite3 = "KYC_REQUIRE_SQLITE3"

// TestStockSQLite3 writes a database with the store (profiles, history
// through both update paths, comments, a deletion) and opens it with the
// sqlite3 program on PATH: PRAGMA integrity_check must say ok, a SELECT
// on every table and view must run, and the update trigger must apply an
// update the program sends itself. It first checks that a file carrying
// migration 0003's trigger is refused by that program and repaired when
// the store opens it.
func TestStockSQLite3(t *testing.T) {
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		if os.Getenv(envRequireSQLite3) == "1" {
			t.Fatalf("no sqlite3 program on PATH and %s=1", envRequireSQLite3)
		}
		t.Skipf("no sqlite3 program on PATH (apt-get install sqlite3; %s=1 makes this a failure)", envRequireSQLite3)
	}
	version, err := runSQLite3(bin, ":memory:", "SELECT sqlite_version()")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("sqlite3 program: SQLite %s", version)
	path := filepath.Join(t.TempDir(), "kyc.db")
	writeSampleDatabase(t, path)

	// A file as migration 0003 left it: the stock program refuses it...
	s, err := OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	rewindDue(t, s)
	old, err := migrations.ReadFile("migrations/sqlite/0003_update_in_one_statement.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range splitStatements(string(old)) {
		if strings.Contains(stmt, "CREATE TRIGGER") {
			if _, err := s.db.Exec("DROP TRIGGER profile_updates_apply"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.db.Exec(stmt); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := s.db.Exec("DELETE FROM schema_version WHERE version > 3"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if out, err := runSQLite3(bin, path, "PRAGMA integrity_check"); err == nil && needsNewSQLite(version) {
		t.Errorf("SQLite %s opened a file with migration 0003's trigger (%s): this check cannot fail", version, out)
	}
	// ... and the store repairs it on open.
	s, err = OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	if out, err := runSQLite3(bin, path, "PRAGMA integrity_check"); err != nil || out != "ok" {
		t.Fatalf("PRAGMA integrity_check = %q, %v; want ok", out, err)
	}
	names, err := runSQLite3(bin, path, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	tables := strings.Fields(names)
	if len(tables) < 7 {
		t.Fatalf("sqlite3 lists %d tables and views: %q", len(tables), names)
	}
	for _, name := range tables {
		if _, err := runSQLite3(bin, path, `SELECT count(*) FROM "`+name+`"`); err != nil {
			t.Errorf("SELECT from %s: %v", name, err)
		}
	}
	// The trigger runs in the old SQLite too: an update sent by the
	// program, with the labels' key of the stored labels, applies.
	update := `INSERT INTO profile_updates (tenant, id, version, state, risk, person_type, created_at, modified_at,
		name_key, search, data, base_version, labels_key, entry_id, entry)
		SELECT tenant, id, version + 1, state, risk, person_type, created_at, modified_at, name_key, search, data,
			version, '3:a:b3:vip4:ñé', 'by-sqlite3', '{}' FROM profiles WHERE tenant = 't' AND id = 'p1';
		SELECT version FROM profiles WHERE tenant = 't' AND id = 'p1'`
	if out, err := runSQLite3(bin, path, update); err != nil || out != "4" {
		t.Errorf("update through the trigger in the sqlite3 program: version %q, %v; want 4", out, err)
	}
}

// needsNewSQLite reports whether SQLite version v (x.y.z) predates 3.44,
// the first to parse migration 0003's trigger.
func needsNewSQLite(v string) bool {
	var major, minor int
	fmt.Sscanf(v, "%d.%d", &major, &minor)
	return major == 3 && minor < 44
}

// runSQLite3 runs the sqlite3 program on file with sql and returns its
// output, trimmed; anything on stderr is an error.
func runSQLite3(bin, file, sql string) (string, error) {
	cmd := exec.Command(bin, "-bail", file, sql)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err == nil && stderr.Len() > 0 {
		err = errors.New("stderr")
	}
	if err != nil {
		return "", fmt.Errorf("sqlite3 %q: %v: %s", sql, err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}

// writeSampleDatabase fills a database file through the store: a profile
// updated in one statement and through a transaction (labels changed),
// comments, and a deleted profile (tombstone, redacted history).
func writeSampleDatabase(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	s, err := OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, id := range []string{"p1", "p2"} {
		p := &profile.Profile{ID: id, Version: 1, Name: "Ana Núñez", State: "active", Risk: "low",
			PersonType: profile.NaturalPerson, Labels: []string{"vip", "a:b"}}
		if err := s.CreateProfile(ctx, "t", storage.Record{Profile: p}, &history.Entry{ID: id + "-e0", OrigID: id, CreatedBy: "maker"}); err != nil {
			t.Fatal(err)
		}
		for i, labels := range [][]string{{"vip", "a:b"}, {"vip", "a:b", "ñé"}} {
			e := history.Entry{ID: fmt.Sprintf("%s-e%d", id, i+1), OrigID: id, Version: p.Version, CreatedBy: "maker",
				Changes: history.Changes{{Op: history.OpChange, Path: history.Path{"risk"}, Old: p.Risk, New: "high"}}}
			p.Risk, p.Labels = "high", labels
			p.Version++
			if err := s.UpdateProfile(ctx, "t", storage.Record{Profile: p}, e); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.AddComment(ctx, "t", &storage.Comment{ID: id + "-c", ProfileID: id, Author: "maker", Body: "<p>called</p>"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteProfile(ctx, "t", "p2", storage.DeleteOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
}
