package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/go-cmp/cmp"

	"github.com/kycsdk/kyc/internal/pgtest"
)

// writeProfiles writes n generated natural-person profiles of the
// digital-profile shape to path, as NDJSON or one JSON array. Every other
// profile has no id, so that both ways of finding an already imported
// record are exercised. bad lists the records (1-based) to break: a
// gender outside the enum.
func writeProfiles(t testing.TB, path string, n int, array bool, bad ...int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sep := "\n"
	if array {
		f.WriteString("[\n")
		sep = ",\n"
	}
	for i := 1; i <= n; i++ {
		id := ""
		if i%2 == 0 {
			id = fmt.Sprintf(`"id": "legacy-%07d", `, i)
		}
		gender := "female"
		if slices.Contains(bad, i) {
			gender = "robot"
		}
		state := "creating"
		if i%3 == 0 {
			state = "active"
		}
		if i == n && array {
			sep = "\n]\n"
		}
		fmt.Fprintf(f, `{%s"created_at": %d, "created_by": "legacy", "person_type": "natural_person", "tax_payer_id": "20-%08d-1", "state": %q, `+
			`"natural_person": {"name": {"first": "Ana", "last": "Person %d"}, "gender": %q, "birth_date": 631152000000, "nationality": "AR"}, `+
			`"labels": ["migrated"], "contacts": [{"contact_type": "email", "value": "p%d@example.com", "main": true}]}%s`,
			id, 1600000000000+int64(i)*1000, i, state, i, gender, i, sep)
	}
}

// importSummaryOut is import's --json output.
type importSummaryOut = importSummary

// exportProfiles exports the tenant's profiles of db and returns them by
// id, without modified_at and verified_at: the fields that say when the
// import ran (an import into a verified state counts as the verification
// when the source gives no time).
func exportProfiles(t *testing.T, db, tenant string) map[string]map[string]jsontext.Value {
	t.Helper()
	r := runKYC(t, "", "export", "--db", db, "--tenant", tenant).want(t, exitOK)
	out := map[string]map[string]jsontext.Value{}
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if line == "" {
			continue
		}
		var p map[string]jsontext.Value
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("export line: %v", err)
		}
		delete(p, "modified_at")
		delete(p, "verified_at")
		var id string
		json.Unmarshal(p["id"], &id)
		if _, dup := out[id]; dup {
			t.Fatalf("profile %s exported twice", id)
		}
		out[id] = p
	}
	return out
}

func TestImportExportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, array := range []bool{false, true} {
		name := map[bool]string{false: "ndjson", true: "array"}[array]
		t.Run(name, func(t *testing.T) {
			in := filepath.Join(dir, name+".json")
			db := filepath.Join(dir, name+".db")
			writeProfiles(t, in, 30, array)
			var sum importSummaryOut
			runKYC(t, "", "import", in, "--db", db, "--tenant", "acme", "--json").want(t, exitOK).decode(t, &sum)
			if !sum.Complete || sum.Records != 30 || sum.Imported != 30 || sum.Refused != 0 || sum.Skipped != 0 {
				t.Errorf("summary %+v", sum)
			}
			if _, err := os.Stat(in + ".checkpoint"); !os.IsNotExist(err) {
				t.Errorf("a complete import left its checkpoint: %v", err)
			}
			got := exportProfiles(t, db, "acme")
			if len(got) != 30 {
				t.Fatalf("%d profiles exported, want 30", len(got))
			}
			p := got["legacy-0000006"]
			for key, want := range map[string]string{"state": `"active"`, "created_by": `"legacy"`, "created_at": "1600000006000", "version": "1"} {
				if string(p[key]) != want {
					t.Errorf("%s = %s, want %s (imported as is)", key, p[key], want)
				}
			}
			// Another tenant sees none of them.
			if other := exportProfiles(t, db, "other"); len(other) != 0 {
				t.Errorf("tenant other sees %d profiles", len(other))
			}
			// Exported and imported again elsewhere: the same profiles.
			out := filepath.Join(dir, name+".export.json")
			args := []string{"export", "--db", db, "--tenant", "acme", "--out", out, "--format", map[bool]string{false: "ndjson", true: "array"}[array]}
			r := runKYC(t, "", args...).want(t, exitOK)
			if r.stdout != "exported: 30\n" {
				t.Errorf("export summary %q", r.stdout)
			}
			db2 := filepath.Join(dir, name+"2.db")
			runKYC(t, "", "import", out, "--db", db2, "--tenant", "acme").want(t, exitOK)
			if diff := cmp.Diff(got, exportProfiles(t, db2, "acme")); diff != "" {
				t.Errorf("export then import (-want +got):\n%s", diff)
			}
		})
	}
}

// TestImportShapes imports the entity of seed 001 and the clients of seed
// 002 and exports them back to their shapes.
func TestImportShapes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kyc.db")
	var sum importSummaryOut
	runKYC(t, "", "import", "testdata/entities.ndjson", "--shape", "entity", "--db", db, "--tenant", "acme", "--json").want(t, exitOK).decode(t, &sum)
	if sum.Imported != 2 || len(sum.Unmapped) != 1 || sum.Unmapped[0].Path != "entity_profile" || sum.Unmapped[0].Count != 2 {
		t.Errorf("entities: %+v", sum)
	}
	runKYC(t, "", "import", "testdata/clients.json", "--shape", "client", "--db", db, "--tenant", "beta", "--risk-levels", "low,medium,high,severe", "--json").want(t, exitOK).decode(t, &sum)
	if sum.Imported != 2 {
		t.Errorf("clients: %+v", sum)
	}

	r := runKYC(t, "", "export", "--db", db, "--tenant", "acme", "--shape", "entity").want(t, exitOK)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"entityType":"INDIVIDUAL"`) || !strings.Contains(r.stderr, "exported: 2") {
		t.Errorf("entity export:\n%s\n%s", r.stdout, r.stderr)
	}
	r = runKYC(t, "", "export", "--db", db, "--tenant", "beta", "--shape", "client", "--format", "array", "--json").want(t, exitOK)
	var clients []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &clients); err != nil || len(clients) != 2 {
		t.Fatalf("client export: %v\n%s", err, r.stdout)
	}
	var exp exportSummary
	if err := json.Unmarshal([]byte(r.stderr), &exp); err != nil || exp.Records != 2 || len(exp.Unmapped) == 0 {
		t.Errorf("export --json summary on stderr: %v\n%s", err, r.stderr)
	}
}

// TestImportRefused imports records some of which break the rules or the
// shape: the good ones are stored, each bad one is reported with its
// position and path, and nothing of its values.
func TestImportRefused(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.ndjson")
	db := filepath.Join(dir, "kyc.db")
	writeProfiles(t, in, 12, false, 3, 7)
	// A record of the wrong shape and one that is not an object.
	f, _ := os.OpenFile(in, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"name": ["Ana"]}` + "\n" + `"Ana Person"` + "\n")
	f.Close()

	var sum importSummaryOut
	runKYC(t, "", "import", in, "--db", db, "--tenant", "acme", "--json").want(t, exitFindings).decode(t, &sum)
	if sum.Records != 14 || sum.Imported != 10 || sum.Refused != 4 || !sum.Complete {
		t.Errorf("summary %+v", sum)
	}
	var where []string
	for _, r := range sum.Listed {
		where = append(where, fmt.Sprintf("%d:%s", r.Record, r.Problems[0].Path))
	}
	if diff := cmp.Diff([]string{"3:natural_person.gender", "7:natural_person.gender", "13:name", "14:"}, where); diff != "" {
		t.Errorf("refused records (-want +got):\n%s", diff)
	}
	if n := len(exportProfiles(t, db, "acme")); n != 10 {
		t.Errorf("%d profiles stored, want 10", n)
	}
	// The text output names each refusal, without values.
	db2 := filepath.Join(dir, "kyc2.db")
	r := runKYC(t, "", "import", in, "--db", db2, "--tenant", "acme").want(t, exitFindings)
	if !strings.Contains(r.stdout, "record 3 (offset ") || !strings.Contains(r.stdout, "natural_person.gender: must be one of") {
		t.Errorf("text output:\n%s", r.stdout)
	}
	for _, v := range []string{"robot", "Person 3", "p3@example.com", "Ana"} {
		if strings.Contains(r.stdout+r.stderr, v) {
			t.Errorf("the output holds the value %q:\n%s%s", v, r.stdout, r.stderr)
		}
	}
}

func TestImportBadInput(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kyc.db")
	in := filepath.Join(dir, "in.ndjson")
	writeProfiles(t, in, 5, false)

	// Malformed JSON after two records: those two are stored, the import
	// stops with an input error naming the record, and keeps its
	// checkpoint.
	broken := filepath.Join(dir, "broken.ndjson")
	data, _ := os.ReadFile(in)
	lines := strings.SplitAfter(string(data), "\n")
	os.WriteFile(broken, []byte(lines[0]+lines[1]+`{"name": "x",`+"\n"+lines[2]), 0o600)
	r := runKYC(t, "", "import", broken, "--db", db, "--tenant", "acme").want(t, exitUsage)
	if !strings.Contains(r.stderr, "malformed JSON: record 3") || !strings.Contains(r.stderr, "after record 2") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if n := len(exportProfiles(t, db, "acme")); n != 2 {
		t.Errorf("%d profiles stored, want 2", n)
	}

	tests := []struct {
		name string
		args []string
		err  string
	}{
		{"missing file", []string{"import", filepath.Join(dir, "none.ndjson"), "--db", db, "--tenant", "acme"}, "no such file"},
		{"no --db", []string{"import", in, "--tenant", "acme"}, "--db is required"},
		{"no --tenant", []string{"import", in, "--db", db}, "--tenant is required"},
		{"unknown shape", []string{"import", in, "--db", db, "--tenant", "acme", "--shape", "csv"}, "--shape"},
		{"unknown flag", []string{"import", in, "--db", db, "--tenant", "acme", "--fast"}, "-fast"},
		{"negative limit", []string{"import", in, "--db", db, "--tenant", "acme", "--limit", "-1"}, "--limit"},
		{"unreadable store", []string{"import", in, "--db", filepath.Join(dir, "no", "such", "dir", "kyc.db"), "--tenant", "acme"}, "--db"},
		{"forbidden", []string{"import", in, "--db", db, "--tenant", "acme", "--scope", "tenant_aml_operator", "--checkpoint", filepath.Join(dir, "c1")}, "forbidden"},
		{"checkpoint of another tenant", []string{"import", broken, "--db", db, "--tenant", "beta"}, "another import"},
		{"export without tenant", []string{"export", "--db", db}, "--tenant is required"},
		{"export with an argument", []string{"export", "x", "--db", db, "--tenant", "acme"}, "want 0 argument(s)"},
		{"export bad format", []string{"export", "--db", db, "--tenant", "acme", "--format", "xml"}, "--format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runKYC(t, "", tt.args...).want(t, exitUsage)
			if !strings.Contains(r.stderr, tt.err) {
				t.Errorf("stderr does not say %q:\n%s", tt.err, r.stderr)
			}
		})
	}

	// A checkpoint whose input changed is refused.
	os.WriteFile(broken, []byte(lines[1]+lines[0]+lines[2]), 0o600)
	r = runKYC(t, "", "import", broken, "--db", db, "--tenant", "acme").want(t, exitUsage)
	if !strings.Contains(r.stderr, "changed since its checkpoint") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}

// TestImportRerun imports the same file twice without a checkpoint: the
// second run finds every record already stored (by its id, or the id
// derived from its position and bytes) and stores nothing.
func TestImportRerun(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.ndjson")
	db := filepath.Join(dir, "kyc.db")
	writeProfiles(t, in, 20, false)
	runKYC(t, "", "import", in, "--db", db, "--tenant", "acme").want(t, exitOK)
	before := exportProfiles(t, db, "acme")
	var sum importSummaryOut
	runKYC(t, "", "import", "-", "--db", db, "--tenant", "acme", "--json").want(t, exitOK)
	data, _ := os.ReadFile(in)
	runKYC(t, string(data), "import", "-", "--db", db, "--tenant", "acme", "--json").want(t, exitOK).decode(t, &sum)
	if sum.Imported != 0 || sum.Skipped != 20 {
		t.Errorf("second run: %+v", sum)
	}
	if diff := cmp.Diff(before, exportProfiles(t, db, "acme")); diff != "" {
		t.Errorf("(-before +after):\n%s", diff)
	}
}

// TestImportResumeAfterLimit stops an import twice with --limit and
// resumes it: the store ends as a clean import leaves it.
func TestImportResumeAfterLimit(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.json")
	writeProfiles(t, in, 40, true, 17)
	clean := filepath.Join(dir, "clean.db")
	runKYC(t, "", "import", in, "--db", clean, "--tenant", "acme").want(t, exitFindings)

	db := filepath.Join(dir, "kyc.db")
	var sum importSummaryOut
	runKYC(t, "", "import", in, "--db", db, "--tenant", "acme", "--limit", "15", "--json").want(t, exitOK).decode(t, &sum)
	if sum.Complete || sum.Records != 15 || sum.Imported != 15 || sum.Stopped == "" {
		t.Errorf("first run: %+v", sum)
	}
	if _, err := os.Stat(in + ".checkpoint"); err != nil {
		t.Fatalf("no checkpoint after a stop: %v", err)
	}
	r := runKYC(t, "", "import", in, "--db", db, "--tenant", "acme", "--limit", "10").want(t, exitFindings)
	if !strings.Contains(r.stdout, "resuming after record 15") || !strings.Contains(r.stdout, "record 17 ") {
		t.Errorf("second run:\n%s", r.stdout)
	}
	runKYC(t, "", "import", in, "--db", db, "--tenant", "acme", "--json").want(t, exitFindings).decode(t, &sum)
	if !sum.Complete || sum.Records != 40 || sum.Imported != 39 || sum.Refused != 1 || sum.Skipped != 0 {
		t.Errorf("last run: %+v", sum)
	}
	if _, err := os.Stat(in + ".checkpoint"); !os.IsNotExist(err) {
		t.Errorf("the checkpoint is left: %v", err)
	}
	if diff := cmp.Diff(exportProfiles(t, clean, "acme"), exportProfiles(t, db, "acme")); diff != "" {
		t.Errorf("resumed import differs from a clean one (-clean +resumed):\n%s", diff)
	}
}

// TestImportKilled kills an import with SIGKILL in the middle, after its
// first checkpoint, and runs it again: the store ends as a clean import
// leaves it, every record once. The records stored after the last
// checkpoint are found again and skipped.
func TestImportKilled(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 1500
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.ndjson")
	writeProfiles(t, in, n, false)
	clean := filepath.Join(dir, "clean.db")
	runKYC(t, "", "import", in, "--db", clean, "--tenant", "acme", "--checkpoint", filepath.Join(dir, "clean.checkpoint")).want(t, exitOK)

	db := filepath.Join(dir, "kyc.db")
	cmd := exec.Command(bin, "import", in, "--db", db, "--tenant", "acme")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(in + ".checkpoint"); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no checkpoint written within a minute")
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()
	if err == nil {
		t.Skip("the import finished before it could be killed")
	}
	var ck checkpoint
	data, _ := os.ReadFile(in + ".checkpoint")
	if err := json.Unmarshal(data, &ck); err != nil {
		t.Fatalf("the checkpoint left by the killed import: %v", err)
	}
	var sum importSummaryOut
	runKYC(t, "", "import", in, "--db", db, "--tenant", "acme", "--json").want(t, exitOK).decode(t, &sum)
	t.Logf("killed after the checkpoint at record %d; the re-run skipped %d already stored", ck.Records, sum.Skipped)
	if !sum.Complete || sum.Records != int64(n) || sum.Imported+sum.Skipped != int64(n) {
		t.Errorf("re-run: %+v", sum)
	}
	if diff := cmp.Diff(exportProfiles(t, clean, "acme"), exportProfiles(t, db, "acme")); diff != "" {
		t.Errorf("killed and resumed import differs from a clean one (-clean +resumed):\n%s", diff)
	}
}

// TestImportInterrupted interrupts an import with SIGINT: it finishes the
// record in hand, saves its checkpoint and exits with 2; the re-run
// completes it.
func TestImportInterrupted(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.ndjson")
	writeProfiles(t, in, 3000, false)
	db := filepath.Join(dir, "kyc.db")
	cmd := exec.Command(bin, "import", in, "--db", db, "--tenant", "acme")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Interrupt once the import is under way (its first checkpoint is
	// written), not while the store is still being opened and migrated,
	// which a loaded machine can make last longer than any fixed sleep.
	var err error
	deadline := time.After(60 * time.Second)
wait:
	for {
		select {
		case err = <-done:
			if err == nil {
				t.Skip("the import finished before it could be interrupted")
			}
			t.Fatalf("the import ended before it was interrupted: %v\n%s", err, stderr.String())
		case <-deadline:
			cmd.Process.Kill()
			t.Fatal("no checkpoint within 60s")
		case <-time.After(20 * time.Millisecond):
			if _, serr := os.Stat(in + ".checkpoint"); serr == nil {
				break wait
			}
		}
	}
	cmd.Process.Signal(os.Interrupt)
	err = <-done
	if err == nil {
		t.Skip("the import finished before it could be interrupted")
	}
	if code := cmd.ProcessState.ExitCode(); code != exitUsage || !strings.Contains(stderr.String(), "interrupted") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr.String())
	}
	var ck checkpoint
	data, _ := os.ReadFile(in + ".checkpoint")
	if err := json.Unmarshal(data, &ck); err != nil {
		t.Fatalf("checkpoint: %v", err)
	}
	if stored := len(exportProfiles(t, db, "acme")); int64(stored) != ck.Imported {
		t.Errorf("the checkpoint counts %d imported, the store holds %d", ck.Imported, stored)
	}
	var sum importSummaryOut
	runKYC(t, "", "import", in, "--db", db, "--tenant", "acme", "--json").want(t, exitOK).decode(t, &sum)
	if sum.Skipped != 0 || sum.Imported != 3000 {
		t.Errorf("re-run after an interrupt: %+v", sum)
	}
}

// TestImportPostgres runs an import stopped by --limit and resumed into a
// real PostgreSQL server, and checks the result against a clean import into
// SQLite, then exports it back.
func TestImportPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in.ndjson")
	writeProfiles(t, in, 30, false, 4)
	clean := filepath.Join(dir, "clean.db")
	runKYC(t, "", "import", in, "--db", clean, "--tenant", "acme", "--checkpoint", filepath.Join(dir, "clean.checkpoint")).want(t, exitFindings)

	runKYC(t, "", "import", in, "--db", dsn, "--tenant", "acme", "--limit", "12").want(t, exitFindings)
	var sum importSummaryOut
	runKYC(t, "", "import", in, "--db", dsn, "--tenant", "acme", "--json").want(t, exitFindings).decode(t, &sum)
	if !sum.Complete || sum.Imported != 29 || sum.Refused != 1 {
		t.Errorf("summary %+v", sum)
	}
	if diff := cmp.Diff(exportProfiles(t, clean, "acme"), exportProfiles(t, dsn, "acme")); diff != "" {
		t.Errorf("PostgreSQL differs from SQLite (-sqlite +postgres):\n%s", diff)
	}
}

// TestImportStrict checks --strict: a file with any record that breaks
// the rules imports nothing; a record only the store can refuse (a
// relation to a profile that is not there) stops the import before it,
// and a re-run tries that record again.
func TestImportStrict(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.ndjson")
	db := filepath.Join(dir, "kyc.db")
	writeProfiles(t, in, 10, false, 3, 7)
	var sum importSummaryOut
	runKYC(t, "", "import", in, "--db", db, "--tenant", "acme", "--strict", "--json").want(t, exitFindings).decode(t, &sum)
	var where []int64
	for _, r := range sum.Listed {
		where = append(where, r.Record)
	}
	if sum.Complete || sum.Imported != 0 || sum.Refused != 2 || !cmp.Equal([]int64{3, 7}, where) {
		t.Errorf("summary %+v", sum)
	}
	if n := len(exportProfiles(t, db, "acme")); n != 0 {
		t.Errorf("%d profiles stored, want none", n)
	}

	writeProfiles(t, in, 10, false)
	data := readFile(t, in)
	lines := strings.SplitAfter(string(data), "\n")
	lines[4] = strings.Replace(lines[4], `"labels"`, `"relations": [{"profile_id": "nobody", "relationship": "spouse"}], "labels"`, 1)
	os.WriteFile(in, []byte(strings.Join(lines, "")), 0o600)
	r := runKYC(t, "", "import", in, "--db", db, "--tenant", "acme", "--strict").want(t, exitFindings)
	if !strings.Contains(r.stdout, "record 5 (offset ") || !strings.Contains(r.stdout, "relations[0].profile_id") || !strings.Contains(r.stdout, "--strict: record 5 refused") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	if n := len(exportProfiles(t, db, "acme")); n != 4 {
		t.Errorf("%d profiles stored, want the 4 before the refused record", n)
	}
	runKYC(t, "", "import", in, "--db", db, "--tenant", "acme", "--json").want(t, exitFindings).decode(t, &sum)
	if !sum.Complete || sum.Imported != 9 || sum.Refused != 1 || len(sum.Listed) != 1 || sum.Listed[0].Record != 5 {
		t.Errorf("re-run without --strict: %+v", sum)
	}
	runKYC(t, "", "import", "-", "--db", db, "--tenant", "acme", "--strict").want(t, exitUsage)
}

// TestImportDuplicateRefs imports records that name an external_ref the
// tenant already holds, stored by an earlier run or an earlier batch of
// the same run: each is skipped, not stored a second time.
func TestImportDuplicateRefs(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "kyc.db")
	first := filepath.Join(dir, "first.ndjson")
	second := filepath.Join(dir, "second.ndjson")
	var a, b []byte
	for i := 1; i <= 3; i++ {
		a = generatedRecord(a, i)
	}
	// The second file's record 698 names the reference of its record 2,
	// stored by the batch before; its record 699 the reference of a record
	// the first file stored (neither has an id of its own: they get new
	// ones, derived from their position and bytes).
	for i := 4; i <= 700; i++ {
		b = generatedRecord(b, i)
	}
	b = append(b, bytes.Replace(generatedRecord(nil, 1), []byte(`"crm-00000001"`), []byte(`"crm-00000005"`), 1)...)
	b = append(b, bytes.Replace(generatedRecord(nil, 3), []byte(`"created_by": "legacy"`), []byte(`"created_by": "other"`), 1)...)
	if err := os.WriteFile(first, a, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(second, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var sum importSummaryOut
	runKYC(t, "", "import", first, "--db", db, "--tenant", "acme", "--json").want(t, exitOK).decode(t, &sum)
	if sum.Imported != 3 {
		t.Fatalf("first file: %+v", sum)
	}
	runKYC(t, "", "import", second, "--db", db, "--tenant", "acme", "--json").want(t, exitOK).decode(t, &sum)
	if sum.Records != 699 || sum.Imported != 697 || sum.Skipped != 2 || sum.Refused != 0 {
		t.Errorf("second file: %+v", sum)
	}
	if got := len(exportProfiles(t, db, "acme")); got != 700 {
		t.Errorf("%d profiles stored, want 700", got)
	}
}
