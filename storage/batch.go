package storage

import (
	"context"

	"github.com/kycsdk/kyc/history"
)

// MaxBatch bounds the creations of one BatchCreator.CreateBatch and the
// references of one ExternalRefs call: a batch is one transaction, and a
// transaction of a few thousand profiles already amortises its commit.
const MaxBatch = 5000

// Creation is one new profile of a batch: its record, with its feed event
// (Record.Event), and its creation entry, as CreateProfile takes them.
type Creation struct {
	Record Record
	Entry  *history.Entry
}

// BatchCreator is implemented by the stores that create many profiles in
// one atomic step: what a bulk import writes through. It is an interface of
// its own, checked with a type assertion, rather than a method of Store, so
// that every Store (a caller's own, a test's wrapper) stays a Store: a
// caller without it creates the profiles one by one, with the same result
// and one commit each. Every store of this module implements it.
type BatchCreator interface {
	// CreateBatch stores every creation of batch (at most MaxBatch) as
	// CreateProfile would store it, in one atomic step: every profile,
	// entry, label, relation, due work and event, or nothing. The feed
	// events take consecutive positions in batch order. It fails, storing
	// nothing, with ErrExists when one id is taken (in the tenant or twice
	// in batch), and as CreateProfile does on any invalid creation; the
	// caller that needs to know which one retries them one by one.
	CreateBatch(ctx context.Context, tenant string, batch []Creation) error

	// ExternalRefs returns, for each of refs (at most MaxBatch, repeats
	// allowed) that a profile of the tenant holds as its external_ref, the
	// id of one such profile: the question an import asks of each batch
	// before writing it. Refs no profile holds are absent.
	ExternalRefs(ctx context.Context, tenant string, refs []string) (map[string]string, error)
}
