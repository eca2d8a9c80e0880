package storage

import (
	"crypto/rand"
	"fmt"

	"github.com/kycsdk/kyc/storage/internal/cursorkey"
)

// CursorKey seals the cursors of a Store: AES-256-GCM with a random nonce
// per cursor, under a key derived from a secret with HKDF-SHA-256. A sealed
// cursor reveals nothing of its position (no name, no id, only a length
// rounded up to a power of two) and opens only under the same key for the
// same tenant and the same query; anything else, a tampered or truncated
// cursor included, is refused with a *QueryError for Cursor (see the
// package documentation). A key is opaque: adapters seal and open cursors
// with it through storage/driver.
//
// A CursorKey is safe for concurrent use.
type CursorKey = cursorkey.Key

// CursorSecretBytes is the shortest secret NewCursorKey accepts.
const CursorSecretBytes = 32

// NewCursorKey returns the key derived from secret, at least
// CursorSecretBytes of random bytes. Stores given keys from the same secret
// accept each other's cursors: several processes behind a load balancer
// share a secret so that a walk may continue on any of them.
func NewCursorKey(secret []byte) (*CursorKey, error) {
	if len(secret) < CursorSecretBytes {
		return nil, fmt.Errorf("%w: cursor secret of %d bytes, need at least %d", ErrInvalid, len(secret), CursorSecretBytes)
	}
	return cursorkey.New(secret)
}

// RandomCursorKey returns a key from a fresh random secret: the default of
// a Store, whose cursors then open only on that Store.
func RandomCursorKey() *CursorKey {
	secret := make([]byte, CursorSecretBytes)
	rand.Read(secret) // never fails (crypto/rand, Go 1.24+)
	k, err := NewCursorKey(secret)
	if err != nil {
		panic(err) // a secret of the right length always makes a key
	}
	return k
}
