package profile

import (
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultRelationTypes(t *testing.T) {
	want := []string{
		"accountant", "agent", "borrower", "brother", "business_partner",
		"co_worker", "common_law_partner", "employee", "employer", "father",
		"friend", "guarantor", "legal_representative", "mother", "other",
		"sister", "spouse", "student",
	}
	if diff := cmp.Diff(want, DefaultRelationTypes().Types()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestRelationTypesWith(t *testing.T) {
	base := DefaultRelationTypes()
	ext, err := base.With("cousin", "joint_account_holder")
	if err != nil {
		t.Fatal(err)
	}
	got := []bool{ext.Has("cousin"), ext.Has("guarantor"), base.Has("cousin"), ext.Len() == base.Len()+2}
	if diff := cmp.Diff([]bool{true, true, false, true}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var none *RelationTypes
	if none.Has("guarantor") || none.Len() != 0 || none.Types() != nil {
		t.Error("a nil registry must hold nothing")
	}
}

func TestRelationTypesWithRejects(t *testing.T) {
	for _, bad := range []string{"", "Cousin", "co-worker", "co worker", "_x", "x_", "a__b", "ñ"} {
		t.Run(bad, func(t *testing.T) {
			if _, err := DefaultRelationTypes().With(bad); !errors.Is(err, ErrRelationType) {
				t.Errorf("With(%q) = %v, want ErrRelationType", bad, err)
			}
		})
	}
}

// TestRelationTypesConcurrent is for -race: a shared registry is read and
// extended from many goroutines.
func TestRelationTypesConcurrent(t *testing.T) {
	base := DefaultRelationTypes()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			ext, err := base.With("tenant_type")
			if err != nil || !ext.Has("tenant_type") || base.Has("tenant_type") {
				t.Error("registry not independent")
			}
			_ = base.Types()
		})
	}
	wg.Wait()
}
