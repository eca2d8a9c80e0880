package sqlstore

import (
	"context"
	"database/sql"
	"sync/atomic"
)

// checkpointEvery is the number of committed writes between two background
// checkpoints: at five to ten WAL pages a write, a few hundred pages, below
// the 1,000 at which SQLite would checkpoint inline.
const checkpointEvery = 64

// checkpointer runs the WAL checkpoints of a SQLite store on a goroutine of
// its own, so that no write waits for one. Left to itself, SQLite
// checkpoints on the commit that takes the WAL past 1,000 pages, and that
// commit then copies the pages into the database file and syncs both
// files: milliseconds, which made a checkpoint a third of the average
// update. Running checkpoints "in a separate thread" is what
// sqlite.org/wal.html (section 7) suggests for that. SQLite's automatic
// checkpoint stays on as the backstop: it runs only when this one falls
// behind, or fails.
type checkpointer struct {
	writes atomic.Int64
	runs   atomic.Int64 // completed checkpoints, for tests
	wake   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

// startCheckpointer starts the checkpointer of s, whose database must be
// in WAL mode.
func (s *Store) startCheckpointer() {
	ctx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{wake: make(chan struct{}, 1), cancel: cancel, done: make(chan struct{})}
	s.ckpt = c
	go c.run(ctx, s.db)
}

func (c *checkpointer) run(ctx context.Context, db *sql.DB) {
	defer close(c.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
		}
		// PASSIVE copies what it can without waiting for readers or
		// writers. An error (another process checkpointing, the store
		// closing) is not the writers' concern: the next wake-up, or
		// SQLite's automatic checkpoint, does the work instead.
		if _, err := db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err == nil {
			c.runs.Add(1)
		}
	}
}

// wrote counts a committed write, and wakes the checkpointer every
// checkpointEvery of them. A nil checkpointer (PostgreSQL, an in-memory
// or rollback-journal SQLite database) counts nothing.
func (c *checkpointer) wrote() {
	if c == nil || c.writes.Add(1)%checkpointEvery != 0 {
		return
	}
	select {
	case c.wake <- struct{}{}:
	default: // a checkpoint is already due
	}
}

// stop ends the checkpointer, interrupting a checkpoint under way, and
// waits for its goroutine.
func (c *checkpointer) stop() {
	if c == nil {
		return
	}
	c.cancel()
	<-c.done
}
