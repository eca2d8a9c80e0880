package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/internal/pgtest"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/sqlstore"
)

// envFeedFull, set to 1, runs the feed's load test at its full size
// (20,000 changes) instead of the 2,000 of the normal run.
const envFeedFull = "KYC_FEED_FULL"

// TestFeedConcurrentWriters: 8 writers commit changes (on PostgreSQL
// through two stores, so two connection pools, as two processes would)
// while a reader polls the feed from the last position it saw. The reader
// gets exactly the changes committed, each once, in position order, with
// no position skipped. The figures are in RELIABILITY.md.
func TestFeedConcurrentWriters(t *testing.T) {
	total := 2000
	if os.Getenv(envFeedFull) == "1" {
		total = 20000
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "kyc.db")
		s, err := sqlstore.OpenSQLite(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		feedLoad(t, []*sqlstore.Store{s}, total)
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := pgtest.DSN(t)
		a, b := openPostgres(t, dsn), openPostgres(t, dsn)
		defer a.Close()
		defer b.Close()
		feedLoad(t, []*sqlstore.Store{a, b}, total)
	})
}

func feedLoad(t *testing.T, stores []*sqlstore.Store, total int) {
	ctx := context.Background()
	const writers = 8
	per := total / writers
	tenant := "feed-load"
	start := time.Now()
	var committed atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		st := stores[w%len(stores)]
		p := &profile.Profile{ID: fmt.Sprintf("w%d", w), Version: 1, State: "active", PersonType: profile.NaturalPerson, Name: "Writer"}
		if err := st.CreateProfile(ctx, tenant, storage.Record{Profile: p}, nil); err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range per {
				e := history.Entry{ID: fmt.Sprintf("%s-%d", p.ID, i), OrigID: p.ID, Version: p.Version}
				next := p.Clone()
				next.Version++
				ev := &storage.Event{ID: e.ID, Kind: "updated", ProfileID: p.ID, Version: next.Version, At: profile.Timestamp(i)}
				if err := st.UpdateProfile(ctx, tenant, storage.Record{Profile: next, Event: ev}, e); err != nil {
					errs <- err
					return
				}
				committed.Add(1)
				p = next
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()

	seen := make(map[string]bool, total)
	var last int64
	polls := 0
	reader := stores[len(stores)-1]
	for {
		finished := false
		select {
		case <-done:
			finished = true
		default:
		}
		// What is committed before the read is what the read must at
		// least reach.
		floor := committed.Load()
		page, err := reader.Changes(ctx, tenant, last, storage.MaxChanges)
		if err != nil {
			t.Fatal(err)
		}
		polls++
		for _, ev := range page {
			if ev.Position != last+1 {
				t.Fatalf("position %d read after %d: a position was skipped", ev.Position, last)
			}
			if seen[ev.ID] {
				t.Fatalf("event %s read twice", ev.ID)
			}
			seen[ev.ID] = true
			last = ev.Position
		}
		if len(page) < storage.MaxChanges && last < floor {
			t.Fatalf("read up to %d, but %d changes were committed before the read", last, floor)
		}
		if finished && len(page) < storage.MaxChanges {
			break
		}
		if len(page) == 0 {
			time.Sleep(time.Millisecond)
		}
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != writers*per {
		t.Fatalf("read %d events, %d changes committed", len(seen), writers*per)
	}
	t.Logf("%d writers, %d pools: %d changes committed and read once each in %d polls, %v",
		writers, len(stores), len(seen), polls, time.Since(start).Round(time.Millisecond))
}

// TestNaiveSequenceSkips shows, step by step, why the feed does not take
// its positions from a sequence: a transaction that takes a value, then
// commits after another that took a later one, becomes visible behind a
// reader that has already passed it, and "after the last position seen"
// never returns it.
func TestNaiveSequenceSkips(t *testing.T) {
	ctx := context.Background()
	s := openPostgres(t, pgtest.DSN(t))
	defer s.Close()
	db := s.DB()
	if _, err := db.ExecContext(ctx, `CREATE TABLE naive_feed (pos BIGSERIAL PRIMARY KEY, what TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	slow, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback()
	if _, err := slow.ExecContext(ctx, `INSERT INTO naive_feed (what) VALUES ('slow')`); err != nil { // takes 1
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO naive_feed (what) VALUES ('fast')`); err != nil { // takes 2, commits
		t.Fatal(err)
	}
	read := func(after int64) (last int64, whats []string) {
		rows, err := db.QueryContext(ctx, `SELECT pos, what FROM naive_feed WHERE pos > $1 ORDER BY pos`, after)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		last = after
		for rows.Next() {
			var what string
			if err := rows.Scan(&last, &what); err != nil {
				t.Fatal(err)
			}
			whats = append(whats, what)
		}
		return last, whats
	}
	last, got := read(0)
	if last != 2 || len(got) != 1 {
		t.Fatalf("first read: up to %d, %v; want only position 2", last, got)
	}
	if err := slow.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, got := read(last); len(got) != 0 {
		t.Fatalf("second read returned %v: the naive reader did not skip", got)
	}
	// Position 1 is committed, and no reader that passed 2 will see it.
	if _, got := read(0); len(got) != 2 {
		t.Fatalf("the table holds %v", got)
	}
}

// TestFeedCounterOrdersCommits is TestNaiveSequenceSkips against the
// feed's counter row: the second writer cannot take a position while the
// first has not committed, so the first reader's position never passes an
// uncommitted event.
func TestFeedCounterOrdersCommits(t *testing.T) {
	ctx := context.Background()
	s := openPostgres(t, pgtest.DSN(t))
	defer s.Close()
	tenant := "counter"
	for _, id := range []string{"slow", "fast"} {
		p := &profile.Profile{ID: id, Version: 1, State: "active", PersonType: profile.NaturalPerson, Name: "X"}
		if err := s.CreateProfile(ctx, tenant, storage.Record{Profile: p, Event: &storage.Event{ID: id + "-0", Kind: "created", ProfileID: id, Version: 1}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	// The slow writer: a transaction that has taken the tenant's next
	// position and not yet committed, as the store's writes do last.
	slow, err := s.DB().BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Rollback()
	if _, err := slow.ExecContext(ctx, `WITH head AS (
		INSERT INTO feed_heads (tenant, pos) VALUES ($1, 1)
		ON CONFLICT (tenant) DO UPDATE SET pos = feed_heads.pos + 1 RETURNING pos)
		INSERT INTO feed (tenant, pos, id, at, data) SELECT $1, head.pos, 'slow-1', 0, '{"id":"slow-1","kind":"updated","profile_id":"slow","at":0}' FROM head`, tenant); err != nil {
		t.Fatal(err)
	}
	// The fast writer commits a whole update meanwhile: it waits.
	fast := make(chan error, 1)
	go func() {
		p := &profile.Profile{ID: "fast", Version: 2, State: "active", PersonType: profile.NaturalPerson, Name: "X"}
		e := history.Entry{ID: "fast-1", OrigID: "fast", Version: 1}
		fast <- s.UpdateProfile(ctx, tenant, storage.Record{Profile: p, Event: &storage.Event{ID: "fast-1", Kind: "updated", ProfileID: "fast", Version: 2}}, e)
	}()
	time.Sleep(200 * time.Millisecond) // time for the fast writer to commit, had it not waited
	evs, err := s.Changes(ctx, tenant, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 2 {
		t.Fatalf("read %d events while the slow writer holds position 3; want the 2 committed before", len(evs))
	}
	select {
	case err := <-fast:
		t.Fatalf("the fast writer committed (%v) while the slow one held the counter", err)
	default:
	}
	if err := slow.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-fast; err != nil {
		t.Fatal(err)
	}
	evs, err = s.Changes(ctx, tenant, 2, 10)
	if err != nil || len(evs) != 2 || evs[0].ID != "slow-1" || evs[1].ID != "fast-1" || evs[1].Position != 4 {
		t.Fatalf("after both commits: %+v, %v; want slow-1 at 3, then fast-1 at 4", evs, err)
	}
}
