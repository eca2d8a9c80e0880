package httpapi

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// settle waits for the goroutines to come back to at most base, and fails
// naming how many are left.
func settle(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= base {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines left over %d:\n%s", n-base, base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestHostileRequests sends what an attacker or a broken client sends: each
// gets a clear problem with the expected status, nothing is stored, and no
// goroutine is left behind.
func TestHostileRequests(t *testing.T) {
	base := runtime.NumGoroutine()
	e := newEnv(t, Options{MaxBodyBytes: 64 << 10}, kycOptions())
	f := e.fixture(t, "acme")
	total := e.count(t)
	sup := "acme/sam/supervisor"
	deep := `{"metadata":` + strings.Repeat(`{"a":`, 100) + `1` + strings.Repeat(`}`, 100) + `}`
	big := `{"person_type":"natural_person","metadata":{"x":"` + strings.Repeat("a", 70<<10) + `"}}`
	m := func(k, v string) map[string]string { return map[string]string{k: v} }
	cases := []struct {
		name    string
		r       req
		status  int
		kind    string
		pointer string
	}{
		{"malformed JSON", req{method: "POST", path: "/profiles", body: `{"person_type":`}, 400, KindBadRequest, ""},
		{"oversized body", req{method: "POST", path: "/profiles", body: big}, 413, KindTooLarge, ""},
		{"deep nesting", req{method: "POST", path: "/profiles", body: deep}, 400, KindBadRequest, ""},
		{"deep nesting in a merge patch", req{method: "PATCH", path: "/profiles/" + f.id, body: deep, contentType: mediaMergePatch, header: m("If-Match", `"1"`)}, 400, KindBadRequest, ""},
		{"text/plain", req{method: "POST", path: "/profiles", body: johnDoe, contentType: "text/plain"}, 415, KindMediaType, ""},
		{"JSON Patch is not a merge patch", req{method: "PATCH", path: "/profiles/" + f.id, body: `[]`, contentType: "application/json-patch+json", header: m("If-Match", `"1"`)}, 415, KindMediaType, ""},
		{"no content type", req{method: "POST", path: "/profiles/" + f.id + "/cases", body: `{"reason":"x"}`, contentType: "", header: map[string]string{"If-Match": `"1"`, "Content-Type": ""}}, 415, KindMediaType, ""},
		{"duplicate key", req{method: "POST", path: "/profiles", body: `{"person_type":"natural_person","person_type":"legal_person"}`}, 400, KindBadRequest, ""},
		{"unknown field", req{method: "POST", path: "/profiles", body: `{"person_type":"natural_person","natural_person":{"shoe_size":44}}`}, 400, KindBadRequest, "/natural_person"},
		{"unknown field in a fact body", req{method: "POST", path: "/profiles/" + f.id + "/cases", body: `{"reason":"x","admin":{"a":true}}`, header: m("If-Match", `"1"`)}, 400, KindBadRequest, ""},
		{"wrong type in a fact body", req{method: "POST", path: "/profiles/" + f.id + "/revert", body: `{"version":"1"}`, header: m("If-Match", `"1"`)}, 400, KindBadRequest, "/version"},
		{"invalid UTF-8", req{method: "POST", path: "/profiles", body: "{\"name\":\"\xff\"}"}, 400, KindBadRequest, ""},
		{"read-only field", req{method: "POST", path: "/profiles", body: `{"person_type":"natural_person","natural_person":{"name":{"first":"A","last":"B"}},"state":"active","risk":"low"}`}, 422, KindReadOnly, "/state"},
		{"validation", req{method: "POST", path: "/profiles", body: `{"person_type":"natural_person","natural_person":{"name":{"first":"A","last":"B"}},"addresses":[{"address_type":"personal","main":true,"country":"XX","state":"s","city":"c","street_name":"n"}]}`}, 422, KindValidation, "/addresses/0/country"},
		{"read-only through a merge patch", req{method: "PATCH", path: "/profiles/" + f.id, body: `{"state":"active"}`, contentType: mediaMergePatch, header: m("If-Match", `"1"`)}, 422, KindReadOnly, "/state"},
		{"a version through a merge patch", req{method: "PATCH", path: "/profiles/" + f.id, body: `{"version":7}`, contentType: mediaMergePatch, header: m("If-Match", `"1"`)}, 422, KindReadOnly, "/version"},
		{"an id through a merge patch", req{method: "PATCH", path: "/profiles/" + f.id, body: `{"id":"another"}`, contentType: mediaMergePatch, header: m("If-Match", `"1"`)}, 422, KindReadOnly, "/id"},
		{"an id removed by a merge patch", req{method: "PATCH", path: "/profiles/" + f.id, body: `{"id":null}`, contentType: mediaMergePatch, header: m("If-Match", `"1"`)}, 422, KindReadOnly, "/id"},
		{"a semicolon in the query", req{method: "GET", path: "/profiles?state=active;x"}, 400, KindBadRequest, ""},
		{"a bad escape in the query", req{method: "GET", path: "/profiles?state=%zz"}, 400, KindBadRequest, ""},
		{"unicode id", req{method: "GET", path: "/profiles/%C3%96zel%E2%80%AE"}, 404, KindNotFound, ""},
		{"dot-dot id", req{method: "GET", path: "/profiles/.."}, 400, KindBadRequest, ""},
		{"escaped dot-dot", req{method: "GET", path: "/profiles/%2e%2e/" + f.id}, 400, KindBadRequest, ""},
		{"escaped slash", req{method: "GET", path: "/profiles/a%2fb"}, 400, KindBadRequest, ""},
		{"control characters in an id", req{method: "GET", path: "/profiles/a%0d%0aSet-Cookie:%20x=y"}, 400, KindBadRequest, "id"},
		{"overlong id", req{method: "GET", path: "/profiles/" + strings.Repeat("a", 300)}, 400, KindBadRequest, "id"},
		{"bad idempotency key", req{method: "POST", path: "/profiles", body: johnDoe, header: m("Idempotency-Key", "a\tb")}, 400, KindBadRequest, "Idempotency-Key"},
		{"bad page size", req{method: "GET", path: "/profiles?size=abc"}, 400, KindBadRequest, "size"},
		{"text filter over its bound", req{method: "GET", path: "/profiles?text=" + strings.Repeat("a", 2000)}, 400, KindBadRequest, "text"},
		{"forged cursor", req{method: "GET", path: "/profiles?cursor=AAAA"}, 400, KindBadRequest, "cursor"},
		{"If-Match not an ETag", req{method: "PATCH", path: "/profiles/" + f.id, body: `{}`, contentType: mediaMergePatch, header: m("If-Match", `*`)}, 412, KindPrecondition, ""},
		{"another tenant's id", req{method: "GET", path: "/profiles/" + f.id, token: "evil/eve/supervisor"}, 404, KindNotFound, ""},
		{"another tenant's write", req{method: "PATCH", path: "/profiles/" + f.id, token: "evil/eve/supervisor", body: `{"labels":["xx"]}`, contentType: mediaMergePatch, header: m("If-Match", `"1"`)}, 404, KindNotFound, ""},
		{"another tenant's comments", req{method: "GET", path: "/profiles/" + f.id + "/comments", token: "evil/eve/supervisor"}, 404, KindNotFound, ""},
		{"no such route", req{method: "GET", path: "/admin"}, 404, KindNotFound, ""},
		{"no such method", req{method: "PUT", path: "/profiles/" + f.id, body: johnDoe}, 405, KindMethod, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.r.token == "" {
				c.r.token = sup
			}
			r := e.do(c.r)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			p := r.problem(t)
			if p.Kind != c.kind {
				t.Fatalf("kind %q, want %q", p.Kind, c.kind)
			}
			if c.pointer != "" && (len(p.Errors) == 0 || p.Errors[0].Pointer != c.pointer) {
				t.Fatalf("errors %+v, want the pointer %q first", p.Errors, c.pointer)
			}
			if r.header.Get("Set-Cookie") != "" {
				t.Fatal("a header was injected")
			}
		})
	}
	e.unchanged(t, f, total)
	e.srv.Client().CloseIdleConnections()
	e.srv.Close()
	settle(t, base)
}

// TestIfMatchRace: two clients read the same version and both write; one
// wins, the other gets 412 with the current ETag, and the winner's change
// is the one stored, after exactly one new version.
func TestIfMatchRace(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	for i := range 20 {
		f := e.fixture(t, "acme")
		var wg sync.WaitGroup
		got := make([]response, 2)
		start := make(chan struct{})
		for j := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				got[j] = e.do(req{method: "PATCH", path: "/profiles/" + f.id, token: fmt.Sprintf("acme/u%d/operator", j),
					body: fmt.Sprintf(`{"labels":["client-%d"]}`, j), contentType: mediaMergePatch, header: map[string]string{"If-Match": `"1"`}})
			}()
		}
		close(start)
		wg.Wait()
		winner := -1
		for j, r := range got {
			switch r.status {
			case http.StatusOK:
				if winner >= 0 {
					t.Fatalf("round %d: both writes won", i)
				}
				winner = j
			case http.StatusPreconditionFailed:
				if r.header.Get("ETag") != `"2"` {
					t.Fatalf("round %d: the loser's ETag is %q, want \"2\"", i, r.header.Get("ETag"))
				}
			default:
				t.Fatalf("round %d: status %d: %s", i, r.status, r.body)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no write won", i)
		}
		w := kyc.Operator{Tenant: "acme", User: "wanda", Scopes: roles["watcher"]}
		p, err := e.svc.Get(context.Background(), w, f.id)
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 2 || len(p.Labels) != 1 || p.Labels[0] != fmt.Sprintf("client-%d", winner) {
			t.Fatalf("round %d: stored version %d labels %v, want the winner's", i, p.Version, p.Labels)
		}
	}
}

// TestSlowClients opens many connections that send their headers and then
// trickle or stop their bodies: the server's read timeout and the
// handler's bound on requests in flight answer each with a problem (400 when
// the body could not be read in time, 503 when no place was free), nothing
// is stored, and every goroutine ends.
func TestSlowClients(t *testing.T) {
	clients := 300
	if testing.Short() {
		clients = 50
	}
	// KYC_HTTP_SLOW_CLIENTS=10000 runs the full count (it needs as
	// many open files, twice: both ends of each connection are here).
	if n, err := strconv.Atoi(os.Getenv("KYC_HTTP_SLOW_CLIENTS")); err == nil && n > 0 {
		clients = n
	}
	base := runtime.NumGoroutine()
	e := newEnvWith(t, Options{MaxInFlight: 8, QueueWait: 50 * time.Millisecond}, kycOptions(), func(s *http.Server) {
		s.ReadHeaderTimeout = time.Second
		s.ReadTimeout = 300 * time.Millisecond
	})
	total := e.count(t)
	addr := strings.TrimPrefix(e.srv.URL, "http://")
	var wg sync.WaitGroup
	statuses := make(chan int, clients)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				statuses <- -1
				return
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(10 * time.Second))
			fmt.Fprintf(conn, "POST /profiles HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer acme/sam/supervisor\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"person_type\":")
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				statuses <- -2
				return
			}
			resp.Body.Close()
			if resp.Header.Get("Content-Type") != mediaProblem {
				statuses <- -3
				return
			}
			statuses <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	t.Logf("answers by status: %v", count)
	if count[http.StatusBadRequest]+count[http.StatusServiceUnavailable] != clients {
		t.Fatalf("answers by status: %v, want only 400 and 503 problems", count)
	}
	if count[http.StatusServiceUnavailable] == 0 {
		t.Fatalf("answers by status: %v: the bound on requests in flight never applied", count)
	}
	if n := e.count(t); n != total {
		t.Fatalf("%d profiles stored, want %d", n, total)
	}
	e.srv.Close()
	settle(t, base)
}

// TestIfMatchFactRace: two clients read version 1 and both record a fact
// on it (one injects a risk, the other opens a case), the second's write
// reaching the store only after the first's is stored (raceStore). One
// wins; the other gets 412 with the current ETag, because its operation
// checks If-Match's version in the step that writes (kyc.Service.Expect)
// instead of applying on whatever is stored. The stored profile holds the
// winner's fact only, one version on.
func TestIfMatchFactRace(t *testing.T) {
	store := &raceStore{Store: memory.New()}
	e := newEnvOn(t, store, Options{}, kycOptions(), nil)
	writes := []req{
		{method: "POST", path: "/risk/injection", body: `{"level":"high","source":"bureau"}`},
		{method: "POST", path: "/cases", body: `{"reason":"alert 7"}`},
	}
	for i := range 20 {
		f := e.fixture(t, "acme")
		store.arm()
		var wg sync.WaitGroup
		got := make([]response, 2)
		start := make(chan struct{})
		for j, w := range writes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				w.path = "/profiles/" + f.id + w.path
				w.token = fmt.Sprintf("acme/u%d/supervisor", j)
				w.header = map[string]string{"If-Match": `"1"`}
				got[j] = e.do(w)
			}()
		}
		close(start)
		wg.Wait()
		winner := -1
		for j, r := range got {
			switch r.status {
			case http.StatusOK:
				if winner >= 0 {
					t.Fatalf("round %d: both writes won", i)
				}
				winner = j
			case http.StatusPreconditionFailed:
				if r.header.Get("ETag") != `"2"` {
					t.Fatalf("round %d: the loser's ETag is %q, want \"2\"", i, r.header.Get("ETag"))
				}
			default:
				t.Fatalf("round %d: status %d: %s", i, r.status, r.body)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no write won", i)
		}
		w := kyc.Operator{Tenant: "acme", User: "wanda", Scopes: roles["watcher"]}
		p, err := e.svc.Get(context.Background(), w, f.id)
		if err != nil {
			t.Fatal(err)
		}
		injected, opened := p.Risk == "high", p.OpenCases == 1
		if p.Version != 2 || injected != (winner == 0) || opened != (winner == 1) {
			t.Fatalf("round %d: stored version %d, risk %q, %d open cases; want only client %d's fact", i, p.Version, p.Risk, p.OpenCases, winner)
		}
	}
}

// raceStore orders two fact writes: the first read of a round goes
// ahead, the second waits until the first write is stored, so that the
// second request reads the version the first made.
type raceStore struct {
	storage.Store
	mu      sync.Mutex
	reads   int
	written chan struct{} // closed at the first write
}

// arm starts a round.
func (s *raceStore) arm() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads, s.written = 0, make(chan struct{})
}

func (s *raceStore) GetRecord(ctx context.Context, tenant, id string) (storage.Record, error) {
	s.mu.Lock()
	s.reads++
	n, written := s.reads, s.written
	s.mu.Unlock()
	if n == 2 && written != nil {
		wait(written)
	}
	return s.Store.GetRecord(ctx, tenant, id)
}

func (s *raceStore) UpdateProfile(ctx context.Context, tenant string, r storage.Record, e history.Entry) error {
	err := s.Store.UpdateProfile(ctx, tenant, r, e)
	s.mu.Lock()
	if s.written != nil {
		select {
		case <-s.written:
		default:
			close(s.written)
		}
	}
	s.mu.Unlock()
	return err
}

// wait waits for c, or a second: a round that goes another way (a request
// that failed early) must not hang the test, and its checks then fail.
func wait(c chan struct{}) {
	select {
	case <-c:
	case <-time.After(time.Second):
	}
}

// TestDotSegment: the paths refused before routing are those with an
// empty, "." or ".." segment, escaped or not, or an escaped slash or
// backslash inside a segment; "/" alone is the root.
func TestDotSegment(t *testing.T) {
	cases := []struct {
		path string
		want bool
	}{
		{"/", false},
		{"/profiles", false},
		{"/profiles/p-1/history", false},
		{"/profiles/a.b", false},
		{"/profiles/...", false},
		{"", true},
		{"//", true},
		{"/profiles/", true},
		{"/profiles//history", true},
		{"/profiles/.", true},
		{"/profiles/../clients", true},
		{"/profiles/%2e%2E", true},
		{"/profiles/%2E", true},
		{"/profiles/a%2Fb", true},
		{"/profiles/a%5cb", true},
	}
	for _, c := range cases {
		if got := dotSegment(c.path); got != c.want {
			t.Errorf("dotSegment(%q) = %v, want %v", c.path, got, c.want)
		}
	}
}
