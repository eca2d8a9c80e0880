package testsource_test

import (
	"sync"
	"testing"
	"time"

	"github.com/kycsdk/kyc/internal/testsource"
)

func TestClock(t *testing.T) {
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	c := testsource.NewClock(start, time.Second)
	if got := c.Now(); !got.Equal(start.Add(time.Second)) {
		t.Fatalf("first Now = %v, want %v", got, start.Add(time.Second))
	}
	if got := c.Now(); !got.Equal(start.Add(2 * time.Second)) {
		t.Fatalf("second Now = %v, want %v", got, start.Add(2*time.Second))
	}
}

func TestSequenceConcurrent(t *testing.T) {
	next := testsource.Sequence("id")
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 100 {
				id := next()
				mu.Lock()
				if seen[id] {
					t.Errorf("duplicate id %s", id)
				}
				seen[id] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(seen) != 800 || !seen["id-000001"] || !seen["id-000800"] {
		t.Errorf("got %d ids, want id-000001 to id-000800", len(seen))
	}
}
