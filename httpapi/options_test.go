package httpapi

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/riskmatrix"
	"github.com/kycsdk/kyc/storage"
)

// kycOptions configures the tests' Service with the risk levels of seed
// 002 (low, medium, high, severe), which the client API accepts.
func kycOptions() kyc.Options {
	return kyc.Options{RiskLevels: []string{"low", "medium", "high", "severe"}}
}

func storageHistoryAll() storage.HistoryQuery { return storage.HistoryQuery{Size: storage.MaxPageSize} }

func storageAll() storage.Query { return storage.Query{Size: 1} }

// fullOptions is kycOptions with the example risk matrix and the example
// entity profiles, so that every operation is configured.
func fullOptions(t *testing.T) kyc.Options {
	t.Helper()
	o := kycOptions()
	data, err := os.ReadFile(filepath.Join("..", "riskmatrix", "testdata", "example.json"))
	if err != nil {
		t.Fatal(err)
	}
	if o.RiskMatrix, err = riskmatrix.Load(data); err != nil {
		t.Fatal(err)
	}
	if data, err = os.ReadFile(filepath.Join("..", "entityprofile", "testdata", "profiles.json")); err != nil {
		t.Fatal(err)
	}
	if o.EntityProfiles, err = entityprofile.LoadBytes(data); err != nil {
		t.Fatal(err)
	}
	return o
}
