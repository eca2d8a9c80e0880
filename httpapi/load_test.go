package httpapi

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// TestLoad offers a fixed rate of mixed reads and writes (KYC_HTTP_LOAD_RATE
// per second, default 2000; 80% GET of a profile, 20% PATCH of one with
// If-Match) to the handler on a SQLite file for KYC_HTTP_LOAD seconds, open
// loop (each request starts on schedule whether or not the earlier ones
// answered), and reports the rate achieved and the latency percentiles.
// It runs only when KYC_HTTP_LOAD is set; the figures are in RELIABILITY.md.
func TestLoad(t *testing.T) {
	secs, err := strconv.Atoi(os.Getenv("KYC_HTTP_LOAD"))
	if err != nil || secs <= 0 {
		t.Skip("KYC_HTTP_LOAD=<seconds> runs the load test")
	}
	rate := 2000
	if r, err := strconv.Atoi(os.Getenv("KYC_HTTP_LOAD_RATE")); err == nil && r > 0 {
		rate = r
	}
	ctx := context.Background()
	store, err := sqlstore.OpenSQLite(ctx, filepath.Join(t.TempDir(), "load.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	svc, err := kyc.New(store, kycOptions())
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(svc, testAuth, Options{MaxInFlight: 512})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	const profiles = 1000
	ids := make([]string, profiles)
	versions := make([]atomic.Int64, profiles)
	for i := range ids {
		p, err := profile.Decode([]byte(benchProfile))
		if err != nil {
			t.Fatal(err)
		}
		created, err := svc.Create(ctx, benchOp, p)
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = created.ID
		versions[i].Store(int64(created.Version))
	}
	tr := &http.Transport{MaxIdleConns: 1024, MaxIdleConnsPerHost: 1024}
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	defer tr.CloseIdleConnections()

	var (
		mu        sync.Mutex
		latencies []time.Duration
		statuses  = map[int]int{}
		wg        sync.WaitGroup
	)
	one := func(i int, write bool) {
		defer wg.Done()
		var r *http.Request
		if write {
			r, _ = http.NewRequest("PATCH", srv.URL+"/profiles/"+ids[i], strings.NewReader(fmt.Sprintf(`{"labels":["l%d"]}`, rand.IntN(1000))))
			r.Header.Set("Content-Type", mediaMergePatch)
			r.Header.Set("If-Match", etag(int(versions[i].Load())))
		} else {
			r, _ = http.NewRequest("GET", srv.URL+"/profiles/"+ids[i], nil)
		}
		r.Header.Set("Authorization", "Bearer acme/sam/supervisor")
		start := time.Now()
		resp, err := client.Do(r)
		status := -1
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			status = resp.StatusCode
			if write && status == http.StatusOK {
				if v, ok := parseETag(resp.Header.Get("ETag")); ok {
					versions[i].Store(int64(v))
				}
			}
		}
		d := time.Since(start)
		mu.Lock()
		latencies = append(latencies, d)
		statuses[status]++
		mu.Unlock()
	}
	interval := time.Second / time.Duration(rate)
	total := secs * rate
	began := time.Now()
	for n := range total {
		if wait := time.Until(began.Add(time.Duration(n) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		wg.Add(1)
		go one(rand.IntN(profiles), rand.IntN(5) == 0)
	}
	wg.Wait()
	elapsed := time.Since(began)
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[int(float64(len(latencies)-1)*p)] }
	t.Logf("offered %d req/s for %ds: %d requests in %v (%.0f req/s), statuses %v, p50 %v, p90 %v, p99 %v, max %v",
		rate, secs, total, elapsed.Round(time.Millisecond), float64(total)/elapsed.Seconds(), statuses,
		pct(0.50).Round(10*time.Microsecond), pct(0.90).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), latencies[len(latencies)-1].Round(time.Millisecond))
}
