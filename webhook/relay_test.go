package webhook_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/storage/sqlstore"
	"github.com/kycsdk/kyc/webhook"
)

// receiver is a webhook endpoint that verifies every request and counts
// the deliveries of each event id; fault, when set, decides the fate of a
// request before it is counted (a status, or 0 to accept).
type receiver struct {
	secrets []webhook.Secret
	mu      sync.Mutex
	got     map[string]int // tenant/event id -> deliveries accepted
	order   []int64        // positions accepted, in arrival order
	bad     int            // requests that did not verify
	fault   func() (status int, hang bool)
}

func newReceiver(t *testing.T, secrets ...webhook.Secret) (*receiver, *httptest.Server) {
	r := &receiver{secrets: secrets, got: map[string]int{}}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	id, err := webhook.Verify(r.secrets, req.Header, body, time.Now(), 0)
	r.mu.Lock()
	fault := r.fault
	if err != nil {
		r.bad++
	}
	r.mu.Unlock()
	if err != nil {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if fault != nil {
		status, hang := fault()
		if hang {
			select {
			case <-req.Context().Done():
			case <-time.After(2 * time.Second):
			}
			return
		}
		if status != 0 {
			w.WriteHeader(status)
			return
		}
	}
	var p webhook.Payload
	if err := json.Unmarshal(body, &p); err != nil || p.Data.ID != id || p.Type != "kyc."+p.Data.Kind {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	r.got[p.Data.Tenant+"/"+id]++
	r.order = append(r.order, p.Data.Position)
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) deliveries() (distinct, total int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.got {
		distinct++
		total += n
	}
	return distinct, total
}

// fill commits n changes (profile creations) to the tenant's feed and
// returns their keys in receiver.got, tenant/event id.
func fill(t testing.TB, st storage.Store, tenant string, from, n int) []string {
	t.Helper()
	var ids []string
	for i := from; i < from+n; i++ {
		id := fmt.Sprintf("p%05d", i)
		p := &profile.Profile{ID: id, Version: 1, State: "active", PersonType: profile.NaturalPerson, Name: "X"}
		ev := &storage.Event{ID: "ev-" + id, Kind: "created", ProfileID: id, Version: 1, User: "maker", At: profile.TimestampOf(time.Now())}
		if err := st.CreateProfile(context.Background(), tenant, storage.Record{Profile: p, Event: ev}, nil); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, tenant+"/"+ev.ID)
	}
	return ids
}

func TestRelayDeliversInOrder(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	secret := webhook.NewSecret()
	rec, srv := newReceiver(t, secret)
	ids := fill(t, st, "acme", 0, 250)
	relay, err := webhook.NewRelay(st, &webhook.HTTPSink{URL: srv.URL, Secrets: []webhook.Secret{secret}}, webhook.Options{Tenants: []string{"acme"}})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := relay.RunOnce(ctx); err != nil || n != len(ids) {
		t.Fatalf("RunOnce = %d, %v; want %d", n, err, len(ids))
	}
	for i, pos := range rec.order {
		if pos != int64(i+1) {
			t.Fatalf("delivery %d was position %d: out of order", i, pos)
		}
	}
	if d, total := rec.deliveries(); d != len(ids) || total != len(ids) {
		t.Fatalf("%d distinct, %d deliveries; want %d each", d, total, len(ids))
	}
	// The position is kept: a second pass delivers only what is new.
	fill(t, st, "acme", 250, 3)
	if n, err := relay.RunOnce(ctx); err != nil || n != 3 {
		t.Fatalf("second pass = %d, %v; want 3", n, err)
	}
}

// TestRelayFaults: the receiver fails, hangs and answers 500 at random;
// every event ends delivered or dead-lettered, none lost, and the dead
// letters are delivered by Replay once the receiver is well.
func TestRelayFaults(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	secret := webhook.NewSecret()
	rec, srv := newReceiver(t, secret)
	rng := rand.New(rand.NewPCG(1, 2))
	var rngMu sync.Mutex
	rec.fault = func() (int, bool) {
		rngMu.Lock()
		defer rngMu.Unlock()
		switch x := rng.IntN(10); {
		case x < 3:
			return http.StatusInternalServerError, false
		case x < 4:
			return 0, true // hangs past the sink's timeout
		case x < 5:
			return http.StatusBadGateway, false
		}
		return 0, false
	}
	ids := fill(t, st, "acme", 0, 200)
	sink := &webhook.HTTPSink{URL: srv.URL, Secrets: []webhook.Secret{secret}, Timeout: 50 * time.Millisecond}
	relay, err := webhook.NewRelay(st, sink, webhook.Options{Tenants: []string{"acme"}, MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := relay.RunOnce(ctx); err != nil || n != len(ids) {
		t.Fatalf("RunOnce = %d, %v; want %d handled", n, err, len(ids))
	}
	dead, err := relay.DeadLetters(ctx, "acme", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	delivered, _ := rec.deliveries()
	if len(dead) == 0 || delivered+len(dead) < len(ids) {
		t.Fatalf("%d delivered, %d dead-lettered, of %d events: lost some (or the faults never exhausted an event)", delivered, len(dead), len(ids))
	}
	for _, d := range dead {
		if d.Attempts != 3 || (d.Reason != "timeout" && d.Reason != "webhook: delivery failed: status 500" && d.Reason != "webhook: delivery failed: status 502") {
			t.Errorf("dead letter %s: %d attempts, reason %q", d.Event.ID, d.Attempts, d.Reason)
		}
	}
	rec.mu.Lock()
	rec.fault = nil
	rec.mu.Unlock()
	for _, d := range dead {
		if err := relay.Replay(ctx, "acme", d.Event.ID); err != nil {
			t.Fatalf("Replay(%s): %v", d.Event.ID, err)
		}
	}
	if err := relay.Replay(ctx, "acme", dead[0].Event.ID); !errors.Is(err, storage.ErrNotFound) {
		t.Errorf("a second replay = %v, want ErrNotFound", err)
	}
	for _, id := range ids {
		if rec.got[id] == 0 {
			t.Errorf("event %s never delivered", id)
		}
	}
	t.Logf("%d events: %d dead-lettered then replayed", len(ids), len(dead))
}

// TestRelaysAtOnce: three relays with their own owners run against one
// SQLite database while changes are committed; each event is delivered at
// least once, and the leases keep all but one idle at a time.
func TestRelaysAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kyc.db")
	st, err := sqlstore.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	secret := webhook.NewSecret()
	rec, srv := newReceiver(t, secret)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range 3 {
		s, err := sqlstore.OpenSQLite(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		relay, err := webhook.NewRelay(s, &webhook.HTTPSink{URL: srv.URL, Secrets: []webhook.Secret{secret}},
			webhook.Options{Tenants: []string{"acme", "globex"}, Owner: fmt.Sprintf("relay-%d", i), Lease: 200 * time.Millisecond, Poll: 5 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() { defer wg.Done(); relay.Run(ctx) }()
	}
	var ids []string
	for i := range 10 {
		ids = append(ids, fill(t, st, "acme", i*30, 30)...)
		ids = append(ids, fill(t, st, "globex", i*30, 30)...)
	}
	deadline := time.Now().Add(30 * time.Second)
	for d, _ := rec.deliveries(); d < len(ids) && time.Now().Before(deadline); d, _ = rec.deliveries() {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	distinct, total := rec.deliveries()
	if distinct != len(ids) || rec.bad != 0 {
		t.Fatalf("%d of %d events delivered (%d bad signatures)", distinct, len(ids), rec.bad)
	}
	t.Logf("%d events, %d deliveries (%d duplicates)", len(ids), total, total-distinct)
}

// TestRelayLeaseLost: a relay whose lease expired while it was stuck in a
// delivery finds another relay took over: it stops that tenant without an
// error and cannot move the position; the other delivers everything.
func TestRelayLeaseLost(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	ids := fill(t, st, "acme", 0, 5)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	stuck, release := make(chan struct{}), make(chan struct{})
	var aGot []string
	a, err := webhook.NewRelay(st, webhook.SinkFunc(func(_ context.Context, tenant string, ev storage.Event) error {
		if len(aGot) == 0 {
			close(stuck)
			<-release
		}
		aGot = append(aGot, tenant+"/"+ev.ID)
		return nil
	}), webhook.Options{Tenants: []string{"acme"}, Owner: "a", Lease: time.Minute, Clock: func() time.Time { return t0 }})
	if err != nil {
		t.Fatal(err)
	}
	var bGot []string
	b, err := webhook.NewRelay(st, webhook.SinkFunc(func(_ context.Context, tenant string, ev storage.Event) error {
		bGot = append(bGot, tenant+"/"+ev.ID)
		return nil
	}), webhook.Options{Tenants: []string{"acme"}, Owner: "b", Lease: time.Minute, Clock: func() time.Time { return t0.Add(2 * time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	var aN int
	go func() { var err error; aN, err = a.RunOnce(ctx); done <- err }()
	<-stuck
	if n, err := b.RunOnce(ctx); err != nil || n != len(ids) {
		t.Fatalf("b.RunOnce = %d, %v; want all %d", n, err, len(ids))
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatalf("a.RunOnce after losing its lease = %v, want nil", err)
	}
	if len(bGot) != len(ids) || aN > len(ids) {
		t.Fatalf("b delivered %d, a %d", len(bGot), aN)
	}
	// a's late record was refused: the position is b's, so a third pass
	// by b finds nothing new, and a cannot claim b's live lease.
	if n, err := b.RunOnce(ctx); err != nil || n != 0 {
		t.Errorf("b's next pass = %d, %v; want 0", n, err)
	}
	if n, err := a.RunOnce(ctx); err != nil || n != 0 {
		t.Errorf("a's next pass = %d, %v; want 0 (b holds the lease)", n, err)
	}
}

// TestReplayBeyondOnePage: a dead letter past the first page of
// DeadLetters is still found and replayed, and the pages join up.
func TestReplayBeyondOnePage(t *testing.T) {
	ctx := context.Background()
	st := memory.New()
	const n = storage.MaxChanges + 5
	dead := make([]storage.DeadLetter, n)
	for i := range dead {
		pos := int64(i + 1)
		dead[i] = storage.DeadLetter{Event: storage.Event{ID: fmt.Sprintf("e%05d", pos), Position: pos, Kind: "updated", ProfileID: "p1", Version: 2}, Attempts: 3, Reason: "status 500"}
	}
	t0 := time.Unix(1_700_000_000, 0)
	if _, err := st.ClaimConsumer(ctx, "acme", "webhook", "setup", t0, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := st.AdvanceConsumer(ctx, "acme", "webhook", "setup", n, t0.Add(time.Minute), dead); err != nil {
		t.Fatal(err)
	}
	var got []string
	relay, err := webhook.NewRelay(st, webhook.SinkFunc(func(_ context.Context, _ string, ev storage.Event) error {
		got = append(got, ev.ID)
		return nil
	}), webhook.Options{Tenants: []string{"acme"}})
	if err != nil {
		t.Fatal(err)
	}
	first, err := relay.DeadLetters(ctx, "acme", 0, storage.MaxChanges)
	if err != nil || len(first) != storage.MaxChanges {
		t.Fatalf("first page: %d, %v", len(first), err)
	}
	rest, err := relay.DeadLetters(ctx, "acme", first[len(first)-1].Event.Position, storage.MaxChanges)
	if err != nil || len(rest) != 5 || rest[0].Event.Position != storage.MaxChanges+1 {
		t.Fatalf("second page: %+v, %v", rest, err)
	}
	last := dead[n-1].Event.ID
	if err := relay.Replay(ctx, "acme", last); err != nil {
		t.Fatalf("Replay of the last dead letter: %v", err)
	}
	if len(got) != 1 || got[0] != last {
		t.Fatalf("delivered %v, want %s", got, last)
	}
	if err := relay.Replay(ctx, "acme", last); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("a second replay: %v, want not found", err)
	}
}
