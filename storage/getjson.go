package storage

import "context"

// JSONGetter is implemented by the stores that read a profile's JSON and
// version without decoding the profile: what a caller that passes the
// profile on as JSON (an HTTP GET) reads, for which decoding the stored
// bytes into a Profile is most of a read. It is an interface of its own,
// checked with a type assertion, rather than a method of Store, so that
// every Store (a caller's own, a test's wrapper) stays a Store: a caller
// without it reads GetRecord and takes its JSON, with the same result.
// Every store of this module implements it.
type JSONGetter interface {
	// GetJSON returns the stored profile's JSON, the same bytes as
	// GetRecord's Record.JSON (profile.Encode of the profile), and its
	// version, or ErrNotFound: for a missing or deleted profile, and for
	// an id of another tenant. The bytes belong to the caller.
	GetJSON(ctx context.Context, tenant, id string) (data []byte, version int, err error)
}
