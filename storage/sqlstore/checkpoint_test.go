package sqlstore

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// TestBackgroundCheckpoint checks that a SQLite file store checkpoints on
// its own goroutine as writes commit, and that Close stops it.
func TestBackgroundCheckpoint(t *testing.T) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, filepath.Join(t.TempDir(), "kyc.db"))
	if err != nil {
		t.Fatal(err)
	}
	if s.ckpt == nil {
		t.Fatal("a WAL database has no checkpointer")
	}
	for i := range 2 * checkpointEvery {
		p := &profile.Profile{ID: "p" + strconv.Itoa(i), Version: 1, State: "active", Risk: "low"}
		if err := s.CreateProfile(ctx, "t", storage.Record{Profile: p}, nil); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.ckpt.runs.Load() == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("no checkpoint after %d writes", s.ckpt.writes.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	c := s.ckpt
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.done:
	default:
		t.Error("Close left the checkpointer running")
	}
}

func TestNoCheckpointerWithoutWAL(t *testing.T) {
	s, err := OpenSQLite(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.ckpt != nil {
		t.Error("an in-memory database has a checkpointer")
	}
}
