package httpapi

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestChangesPolling: a pull consumer polls GET /changes while two clients
// create and edit profiles. It sees every change once, in position order
// with no gap, and each page names ids, kinds and paths only: the canary
// written into the customers' names never appears in a feed body. Another
// tenant's feed is empty.
func TestChangesPolling(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	const canary = "Qzxfeedcanary"
	const writers, perWriter = 2, 10
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				body := strings.Replace(johnDoe, `"John"`, fmt.Sprintf(`"%s%d%d"`, canary, w, i), 1)
				r := e.do(req{method: "POST", path: "/profiles", token: fmt.Sprintf("acme/w%d/operator", w), body: body})
				if r.status != http.StatusCreated {
					t.Errorf("create: %d %s", r.status, r.body)
					return
				}
				var p struct {
					ID string `json:"id"`
				}
				r.json(t, &p)
				r = e.do(req{method: "PATCH", path: "/profiles/" + p.ID, token: fmt.Sprintf("acme/w%d/operator", w),
					body: fmt.Sprintf(`{"natural_person":{"name":{"last":"%s"}}}`, canary), contentType: mediaMergePatch,
					header: map[string]string{"If-Match": `"1"`}})
				if r.status != http.StatusOK {
					t.Errorf("patch: %d %s", r.status, r.body)
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	want := writers * perWriter * 2
	var next int64
	seen := map[string]bool{}
	kinds := map[string]int{}
	for finished := false; ; {
		select {
		case <-done:
			finished = true
		default:
		}
		r := e.do(req{method: "GET", path: fmt.Sprintf("/changes?after=%d&limit=3", next), token: "acme/wanda/watcher"})
		if r.status != http.StatusOK {
			t.Fatalf("poll: %d %s", r.status, r.body)
		}
		if strings.Contains(string(r.body), canary) || strings.Contains(string(r.body), "Doe") {
			t.Fatalf("a feed page carries a personal value: %s", r.body)
		}
		var page changesBody
		r.json(t, &page)
		if len(page.Events) > 3 {
			t.Fatalf("%d events for limit 3", len(page.Events))
		}
		for _, ev := range page.Events {
			if ev.Position != next+1 {
				t.Fatalf("position %d after %d: the feed skipped or repeated", ev.Position, next)
			}
			if seen[ev.ID] {
				t.Fatalf("event %s seen twice", ev.ID)
			}
			seen[ev.ID] = true
			kinds[ev.Kind]++
			next = ev.Position
		}
		if page.Next != next {
			t.Fatalf("next %d, want %d", page.Next, next)
		}
		if finished && len(page.Events) == 0 {
			break
		}
	}
	if len(seen) != want || kinds["created"] != want/2 || kinds["updated"] != want/2 {
		t.Fatalf("the consumer saw %d events %v, want %d", len(seen), kinds, want)
	}
	r := e.do(req{method: "GET", path: "/changes", token: "other/wanda/watcher"})
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"events":[]`) {
		t.Fatalf("another tenant's feed: %d %s", r.status, r.body)
	}
}

// TestChangesBadQuery: a position or limit that is not a number in range
// is a 400 naming the parameter, and a role without the feed's read
// permission is refused.
func TestChangesBadQuery(t *testing.T) {
	e := newEnv(t, Options{}, kycOptions())
	for _, q := range []string{"after=-1", "after=x", "limit=1001", "limit=-2"} {
		r := e.do(req{method: "GET", path: "/changes?" + q, token: "acme/wanda/watcher"})
		if r.status != http.StatusBadRequest {
			t.Fatalf("%s: %d %s", q, r.status, r.body)
		}
		p := r.problem(t)
		if len(p.Errors) != 1 || !strings.HasPrefix(q, p.Errors[0].Pointer+"=") {
			t.Fatalf("%s: %+v", q, p.Errors)
		}
	}
	if r := e.do(req{method: "GET", path: "/changes", token: "acme/nobody/none"}); r.status != http.StatusForbidden {
		t.Fatalf("no scope: %d %s", r.status, r.body)
	}
}
