package reliability

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// The crash test's child writes through the Service to the SQLite file
// named by envCrashDB, and prints "<profile id> <version>" once each update
// has committed.
const envCrashDB = "KYC_RELIABILITY_CRASH_DB"

// crashProfiles are the profiles the child updates, round robin.
var crashProfiles = []string{"crash-0", "crash-1", "crash-2", "crash-3"}

// crashChild is the child program: it never returns on its own; the parent
// kills it.
func crashChild() int {
	ctx := context.Background()
	st, err := sqlstore.OpenSQLite(ctx, os.Getenv(envCrashDB))
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		return 2
	}
	svc, err := kyc.New(st, kyc.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "service:", err)
		return 2
	}
	fmt.Println("ready")
	for i := 0; ; i++ {
		id := crashProfiles[i%len(crashProfiles)]
		v, err := crashStep(ctx, svc, id)
		if err != nil {
			fmt.Fprintln(os.Stderr, "update:", err)
			return 2
		}
		// One write(2) per line, after the commit: whatever the parent
		// reads was committed.
		fmt.Printf("%s %d\n", id, v)
	}
}

func crashStep(ctx context.Context, svc *kyc.Service, id string) (int, error) {
	p, err := svc.Get(ctx, maker, id)
	if err != nil {
		return 0, err
	}
	next, err := bump(p)
	if err != nil {
		return 0, err
	}
	saved, err := svc.Update(ctx, maker, next, kyc.UpdateOptions{})
	if err != nil {
		return 0, err
	}
	return saved.Version, nil
}

// TestCrashSafetySQLite kills a writing child process with SIGKILL at
// random moments and checks, after each kill, that the database is intact,
// that every update the child reported committed is there, and that every
// profile has exactly one history entry per version. Two children run at
// once, each on its own database, to halve the wall time of the
// re-executions.
func TestCrashSafetySQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary hundreds of times")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	const workers = 2
	results := make([]crashResult, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		path := filepath.Join(t.TempDir(), "crash.db")
		seedCrashDB(t, path)
		kills := *flagKills / workers
		if w == 0 {
			kills += *flagKills % workers
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[w] = crashLoop(exe, path, kills, uint64(w))
		}()
	}
	wg.Wait()
	var total crashResult
	for _, r := range results {
		if r.err != nil {
			t.Error(r.err)
		}
		total.kills += r.kills
		total.early += r.early
		total.lines += r.lines
	}
	t.Logf("kills: %d (%d before the child was ready), updates reported committed: %d, in %v",
		total.kills, total.early, total.lines, time.Since(start).Round(time.Millisecond))
	if total.lines == 0 {
		t.Fatal("the child never committed an update: the kills proved nothing")
	}
}

// crashResult sums up one worker's kills.
type crashResult struct {
	kills, early, lines int
	err                 error
}

// crashLoop starts, kills and checks the child kills times on path.
func crashLoop(exe, path string, kills int, seed uint64) crashResult {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), seed))
	reported := map[string]int{}
	var res crashResult
	for res.kills < kills {
		n, ready, err := runAndKill(exe, path, rng, reported)
		if err != nil {
			res.err = err
			return res
		}
		res.kills++
		res.lines += n
		if !ready {
			res.early++
		}
		if err := checkCrashDB(ctx, path, reported); err != nil {
			res.err = fmt.Errorf("after kill %d (%d updates reported so far): %w", res.kills, res.lines, err)
			return res
		}
	}
	return res
}

func seedCrashDB(t *testing.T, path string) {
	t.Helper()
	st, err := sqlstore.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := newService(t, st)
	for _, id := range crashProfiles {
		if _, err := svc.Create(context.Background(), maker, person(t, id)); err != nil {
			t.Fatal(err)
		}
	}
}

// runAndKill starts the child, kills it after a random delay and records
// every committed version it printed. One kill in ten lands at a random
// moment of the child's start (opening the database, migrating); the others
// land within 80 ms of its first committed update, a few updates' time.
func runAndKill(exe, path string, rng *rand.Rand, reported map[string]int) (lines int, ready bool, err error) {
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), envChild+"=crash", envCrashDB+"="+path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, false, err
	}
	if err := cmd.Start(); err != nil {
		return 0, false, err
	}
	readyc := make(chan struct{})
	done := make(chan int)
	go func() { done <- readReports(out, readyc, reported) }()
	delay := 80 * time.Millisecond
	if rng.IntN(10) == 0 {
		delay = 600 * time.Millisecond // anywhere in the start
	} else {
		select {
		case <-readyc:
		case <-time.After(30 * time.Second):
		}
	}
	time.Sleep(time.Duration(rng.Int64N(int64(delay))))
	select {
	case <-readyc:
		ready = true
	default:
	}
	cmd.Process.Signal(syscall.SIGKILL)
	lines = <-done
	werr := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
		return lines, ready, fmt.Errorf("child ended on its own (%v): %s", werr, stderr.String())
	}
	return lines, ready, nil
}

// readReports reads the child's "<id> <version>" lines until EOF, closing
// readyc at the first one: the child is then past its start and warmed up. A last line cut by the kill is ignored: it was not
// fully reported.
func readReports(r io.Reader, readyc chan struct{}, reported map[string]int) int {
	br := bufio.NewReader(r)
	n := 0
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			io.Copy(io.Discard, br)
			return n
		}
		id, v, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " ")
		version, err := strconv.Atoi(v)
		if !ok || err != nil {
			continue
		}
		if n == 0 {
			close(readyc)
		}
		reported[id] = max(reported[id], version)
		n++
	}
}

// checkCrashDB reopens the database after a kill and checks its integrity
// and contents.
func checkCrashDB(ctx context.Context, path string, reported map[string]int) error {
	if err := integrityCheck(path); err != nil {
		return err
	}
	st, err := sqlstore.OpenSQLite(ctx, path)
	if err != nil {
		return fmt.Errorf("reopen: %w", err)
	}
	defer st.Close()
	var versions int
	for _, id := range crashProfiles {
		p, err := st.GetProfile(ctx, maker.Tenant, id)
		if err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		if p.Version < reported[id] {
			return fmt.Errorf("%s: stored version %d, but the child reported %d committed", id, p.Version, reported[id])
		}
		if c, err := counter(p); err != nil || c != p.Version-1 {
			return fmt.Errorf("%s: version %d holds counter %d (%v)", id, p.Version, c, err)
		}
		entries, err := allHistory(ctx, st, maker.Tenant, id)
		if err != nil {
			return fmt.Errorf("%s history: %w", id, err)
		}
		if err := checkHistory(entries, p.Version); err != nil {
			return fmt.Errorf("%s: %w", id, err)
		}
		versions += p.Version
	}
	return orphanCheck(st.DB(), versions)
}

// integrityCheck runs PRAGMA integrity_check on a plain connection, before
// the store's own open touches the file.
func integrityCheck(path string) error {
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil {
		return fmt.Errorf("integrity_check: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("integrity_check: %s", res)
	}
	return nil
}

// orphanCheck checks, in SQL, that the history rows are exactly the
// versions of the stored profiles: no entry without its profile version.
func orphanCheck(db *sql.DB, versions int) error {
	var rows, orphans int
	if err := db.QueryRow(`SELECT COUNT(*) FROM history`).Scan(&rows); err != nil {
		return err
	}
	if rows != versions {
		return fmt.Errorf("%d history rows for %d profile versions", rows, versions)
	}
	err := db.QueryRow(`SELECT COUNT(*) FROM history h LEFT JOIN profiles p
		ON p.tenant = h.tenant AND p.id = h.profile_id
		WHERE p.id IS NULL OR h.version >= p.version`).Scan(&orphans)
	if err != nil {
		return err
	}
	if orphans != 0 {
		return fmt.Errorf("%d history rows beyond their profile's version", orphans)
	}
	return nil
}
