package memory_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// A create, get and update round. The update names the version it read:
// a second update based on the same version is refused with ErrConflict,
// so no update is lost.
func ExampleNew() {
	ctx := context.Background()
	s := memory.New()
	defer s.Close()

	p := &profile.Profile{ID: "p1", Version: 1, Name: "Ana Núñez", PersonType: profile.NaturalPerson, State: "active", Risk: "low"}
	if err := s.CreateProfile(ctx, "tenant-a", storage.Record{Profile: p}, nil); err != nil {
		fmt.Println(err)
		return
	}

	read, err := s.GetProfile(ctx, "tenant-a", "p1")
	if err != nil {
		fmt.Println(err)
		return
	}
	stale := *read
	e := history.Entry{ID: "e1", OrigID: "p1", Version: read.Version, CreatedBy: "analyst",
		Changes: history.Changes{{Op: history.OpChange, Path: history.Path{"risk"}, Old: "low", New: "high"}}}
	read.Risk, read.Version = "high", read.Version+1
	if err := s.UpdateProfile(ctx, "tenant-a", storage.Record{Profile: read}, e); err != nil {
		fmt.Println(err)
		return
	}

	e.ID = "e2"
	stale.Version++
	err = s.UpdateProfile(ctx, "tenant-a", storage.Record{Profile: &stale}, e)
	fmt.Println("stale update refused:", errors.Is(err, storage.ErrConflict))

	now, _ := s.GetProfile(ctx, "tenant-a", "p1")
	fmt.Println(now.Version, now.Risk)
	// Output:
	// stale update refused: true
	// 2 high
}
