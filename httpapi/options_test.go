package httpapi

import (
	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/storage"
)

// kycOptions configures the tests' Service with the risk levels of seed
// 002 (low, medium, high, severe), which the client API accepts.
func kycOptions() kyc.Options {
	return kyc.Options{RiskLevels: []string{"low", "medium", "high", "severe"}}
}

func storageHistoryAll() storage.HistoryQuery { return storage.HistoryQuery{Size: storage.MaxPageSize} }

func storageAll() storage.Query { return storage.Query{Size: 1} }
