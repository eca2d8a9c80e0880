package webhook_test

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/kycsdk/kyc/storage/sqlstore"
	"github.com/kycsdk/kyc/webhook"
)

// The crash test's environment: the child's database, receiver and secret;
// envCrashFull, set to 1, runs 200 kills instead of 20.
const (
	envChildDB     = "KYC_RELAY_CHILD_DB"
	envChildURL    = "KYC_RELAY_CHILD_URL"
	envChildSecret = "KYC_RELAY_CHILD_SECRET"
	envCrashFull   = "KYC_CRASH_FULL"
)

// TestRelayChild is the relay process of TestRelayCrash: the test binary
// run again with the child's environment. It relays until it is killed.
func TestRelayChild(t *testing.T) {
	path := os.Getenv(envChildDB)
	if path == "" {
		t.Skip("the child of TestRelayCrash")
	}
	secret, err := webhook.ParseSecret(os.Getenv(envChildSecret))
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlstore.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	// One owner across restarts, as a relay named after its host: the
	// restarted process takes its own lease back at once.
	relay, err := webhook.NewRelay(st, &webhook.HTTPSink{URL: os.Getenv(envChildURL), Secrets: []webhook.Secret{secret}},
		webhook.Options{Tenants: []string{"acme"}, Owner: "crash-child", Batch: 20, Poll: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	relay.Run(context.Background())
}

// TestRelayCrash kills a relay process with SIGKILL at random moments
// while changes are committed, restarting it each time; once it has run
// to the end, every committed event has been delivered at least once, and
// each duplicate carries the id of its event. The figures are in
// RELIABILITY.md.
func TestRelayCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	kills := 20
	if os.Getenv(envCrashFull) == "1" {
		kills = 200
	}
	path := filepath.Join(t.TempDir(), "kyc.db")
	st, err := sqlstore.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	secret := webhook.NewSecret()
	rec, srv := newReceiver(t, secret)
	// A receiver that takes a moment per request, so that kills land in
	// the middle of deliveries and batches, not only between them.
	rec.fault = func() (int, bool) { time.Sleep(2 * time.Millisecond); return 0, false }
	start := func() *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRelayChild$")
		cmd.Env = append(os.Environ(), envChildDB+"="+path, envChildURL+"="+srv.URL, envChildSecret+"="+secret.String())
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	var ids []string
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for k := range kills {
		ids = append(ids, fill(t, st, "acme", k*25, 25)...)
		cmd := start()
		time.Sleep(time.Duration(20+rng.IntN(180)) * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
	}
	// The last run: until everything committed is delivered.
	cmd := start()
	deadline := time.Now().Add(2 * time.Minute)
	for d, _ := rec.deliveries(); d < len(ids) && time.Now().Before(deadline); d, _ = rec.deliveries() {
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	lost, dups := 0, 0
	for _, id := range ids {
		switch n := rec.got[id]; {
		case n == 0:
			lost++
		case n > 1:
			dups += n - 1
		}
	}
	if len(rec.got) != len(ids) {
		t.Errorf("the receiver got %d distinct ids, %d were committed", len(rec.got), len(ids))
	}
	if lost > 0 || rec.bad > 0 {
		t.Fatalf("%d kills: %d of %d events lost, %d bad signatures", kills, lost, len(ids), rec.bad)
	}
	t.Logf("%d kills: %d events committed, 0 lost, %d duplicate deliveries (same id)", kills, len(ids), dups)
}
