package sqlstore

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// postgresRules are the constructs the distributed PostgreSQL-compatible
// engines (CockroachDB, YugabyteDB) reject or run differently; the
// PostgreSQL adapter must use none of them (DESIGN.md, Dependencies).
// Each rule is matched, case-insensitively, on SQL without its comments.
var postgresRules = []struct {
	name string
	re   *regexp.Regexp
}{
	{"LISTEN/NOTIFY", regexp.MustCompile(`(?i)\b(LISTEN|UNLISTEN|NOTIFY)\b|\bpg_notify\b`)},
	{"advisory lock", regexp.MustCompile(`(?i)\bpg_(try_)?advisory`)},
	{"LOCK TABLE", regexp.MustCompile(`(?i)\bLOCK\s+TABLE\b|\bLOCK\s+\w+\s+IN\s+\w+`)},
	{"deferrable constraint", regexp.MustCompile(`(?i)\bDEFERRABLE\b|\bINITIALLY\s+DEFERRED\b|\bSET\s+CONSTRAINTS\b`)},
	{"trigger", regexp.MustCompile(`(?i)\bCREATE\s+(OR\s+REPLACE\s+)?(CONSTRAINT\s+)?TRIGGER\b|\bEVENT\s+TRIGGER\b`)},
	{"stored procedure or function", regexp.MustCompile(`(?i)\bCREATE\s+(OR\s+REPLACE\s+)?(FUNCTION|PROCEDURE)\b|\bDO\s+(\$|')|\bplpgsql\b|\bLANGUAGE\s+\w+|\bCALL\s+\w+\s*\(`)},
	{"sequence", regexp.MustCompile(`(?i)\b(SMALL|BIG)?SERIAL\d?\b|\b(nextval|currval|setval|lastval)\s*\(|\bGENERATED\s+(ALWAYS|BY\s+DEFAULT)\s+AS\s+IDENTITY\b|\bCREATE\s+SEQUENCE\b`)},
}

// dmlTarget finds the table each data-modifying clause writes.
var dmlTarget = regexp.MustCompile(`(?i)\b(?:INSERT\s+INTO|UPSERT\s+INTO|MERGE\s+INTO|DELETE\s+FROM|UPDATE)\s+("?[a-z_][a-z0-9_]*"?)`)

// sqlStart tells a whole statement from a fragment of one.
var sqlStart = regexp.MustCompile(`(?i)^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE|DROP|ALTER|BEGIN|COMMIT|ROLLBACK|SET|LISTEN|NOTIFY|LOCK|DO|CALL|PRAGMA|VACUUM|ANALYZE|TRUNCATE|MERGE|UPSERT)\b`)

// portabilityProblems lists what of postgresRules stmt breaks; whole
// statements are also checked for two modifications of one table.
func portabilityProblems(stmt string) []string {
	code := stripSQLComments(stmt)
	var out []string
	for _, r := range postgresRules {
		if m := r.re.FindString(code); m != "" {
			out = append(out, r.name+" ("+m+")")
		}
	}
	if !sqlStart.MatchString(code) {
		return out
	}
	seen := map[string]int{}
	for _, m := range dmlTarget.FindAllStringSubmatch(code, -1) {
		table := strings.ToLower(strings.Trim(m[1], `"`))
		if table == "set" { // ON CONFLICT ... DO UPDATE SET: the INSERT's own table
			continue
		}
		if seen[table]++; seen[table] == 2 {
			out = append(out, "two modifications of "+table+" in one statement")
		}
	}
	return out
}

func stripSQLComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line + "\n")
	}
	return b.String()
}

// goSQL returns every string literal of the package's Go files (tests
// excepted), by position: the constants holding statements and the
// fragments statements are built from. Literals given to functions of
// package strings are text the code inspects, not SQL it sends.
func goSQL(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		inspected := map[*ast.BasicLit]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
				if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "strings" {
					for _, a := range call.Args {
						if lit, ok := a.(*ast.BasicLit); ok {
							inspected[lit] = true
						}
					}
				}
			}
			return true
		})
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || inspected[lit] {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatalf("%v: %v", fset.Position(lit.Pos()), err)
			}
			out[fset.Position(lit.Pos()).String()] = s
			return true
		})
	}
	return out
}

// migrationSQL returns every statement of the dialect's migrations.
func migrationSQL(t *testing.T, dialect string) map[string]string {
	t.Helper()
	files, err := fs.Glob(migrations, "migrations/"+dialect+"/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no %s migrations: %v", dialect, err)
	}
	out := map[string]string{}
	for _, f := range files {
		b, err := migrations.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, stmt := range splitStatements(string(b)) {
			out[f+" #"+strconv.Itoa(i+1)] = stmt
		}
	}
	return out
}

// TestPostgresSQLPortable reads every SQL text the PostgreSQL adapter can
// send, the string literals of its Go code and the statements of its
// migrations, and fails on anything CockroachDB or YugabyteDB would
// refuse or run differently (postgresRules, and two modifications of one
// table in one statement, which CockroachDB refuses with SQLSTATE 0A000).
func TestPostgresSQLPortable(t *testing.T) {
	all := goSQL(t)
	statements := 0
	for where, stmt := range migrationSQL(t, dialectPostgres) {
		all[where] = stmt
	}
	var keys []string
	for k, v := range all {
		keys = append(keys, k)
		if sqlStart.MatchString(stripSQLComments(v)) {
			statements++
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, p := range portabilityProblems(all[k]) {
			t.Errorf("%s: %s in:\n%s", k, p, all[k])
		}
	}
	if statements < 20 {
		t.Fatalf("found only %d statements: the collector is broken", statements)
	}
	t.Logf("%d SQL texts checked, %d of them whole statements", len(all), statements)
}

// TestPortabilityRules holds the checker itself to its rules: each of
// these must be refused, and the near misses accepted.
func TestPortabilityRules(t *testing.T) {
	refused := map[string]string{
		"two modifications of one table": `WITH gone AS (DELETE FROM profile_labels WHERE tenant = $1 AND label <> ALL ($2::text[])),
			added AS (INSERT INTO profile_labels (tenant, label) SELECT $1, l FROM unnest($2::text[]) AS l ON CONFLICT DO NOTHING)
			SELECT 1`,
		"update and delete of one table": `WITH a AS (UPDATE "profiles" SET v = 1), b AS (DELETE FROM profiles) SELECT 1`,
		"listen":                         `LISTEN profile_changes`,
		"notify":                         `SELECT pg_notify('feed', $1)`,
		"advisory lock":                  `SELECT pg_advisory_xact_lock(42)`,
		"try advisory lock":              `SELECT pg_try_advisory_lock(42)`,
		"lock table":                     `LOCK TABLE profiles IN EXCLUSIVE MODE`,
		"lock without TABLE":             `LOCK profiles IN SHARE MODE`,
		"deferrable":                     `ALTER TABLE history ADD FOREIGN KEY (tenant, profile_id) REFERENCES profiles DEFERRABLE INITIALLY DEFERRED`,
		"set constraints":                `SET CONSTRAINTS ALL DEFERRED`,
		"trigger":                        `CREATE TRIGGER bump BEFORE UPDATE ON profiles FOR EACH ROW EXECUTE FUNCTION bump()`,
		"function":                       `CREATE OR REPLACE FUNCTION bump() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql`,
		"procedure":                      `CREATE PROCEDURE p() AS 'SELECT 1' LANGUAGE sql`,
		"do block":                       `DO $$ BEGIN PERFORM 1; END $$`,
		"call":                           `CALL p()`,
		"serial":                         `CREATE TABLE feed (position BIGSERIAL PRIMARY KEY)`,
		"identity":                       `CREATE TABLE feed (position BIGINT GENERATED ALWAYS AS IDENTITY)`,
		"nextval":                        `INSERT INTO feed (position) VALUES (nextval('feed_seq'))`,
		"sequence":                       `CREATE SEQUENCE feed_seq`,
	}
	for name, stmt := range refused {
		if len(portabilityProblems(stmt)) == 0 {
			t.Errorf("%s: not refused: %s", name, stmt)
		}
	}
	accepted := map[string]string{
		"row lock":          `SELECT data FROM profiles WHERE tenant = $1 AND id = $2 FOR UPDATE`,
		"upsert":            `INSERT INTO profile_labels (tenant, label) VALUES ($1, $2) ON CONFLICT (tenant, label) DO UPDATE SET label = EXCLUDED.label`,
		"two tables":        `WITH u AS (UPDATE profiles SET v = 1 RETURNING id) INSERT INTO history (id) SELECT id FROM u`,
		"words in comments": "-- no LISTEN, no advisory lock, no trigger\nSELECT 1",
		"a column named do": `SELECT updated_at, serial_number FROM t`,
	}
	for name, stmt := range accepted {
		if p := portabilityProblems(stmt); len(p) != 0 {
			t.Errorf("%s: refused (%v): %s", name, p, stmt)
		}
	}
}
