// Package cursorkey holds the key that seals storage cursors. It is shared
// by storage, which hands keys to users as storage.CursorKey, and
// storage/driver, which seals and opens cursors with them; its functions
// are out of users' reach, so a CursorKey is opaque to them.
//
// A Key is safe for concurrent use.
package cursorkey

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
)

// info separates the cursor key from any other use of the same secret
// (RFC 5869, section 3.2).
const info = "github.com/kycsdk/kyc/storage cursor key"

// Key is AES-256-GCM with a random nonce per seal, under a key derived
// from a secret with HKDF-SHA-256.
type Key struct {
	aead cipher.AEAD
}

// New returns the key derived from secret; the caller checks its length.
func New(secret []byte) (*Key, error) {
	key, err := hkdf.Key(sha256.New, secret, nil, info, 32)
	if err != nil {
		return nil, fmt.Errorf("storage: cursor key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("storage: cursor key: %w", err)
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, fmt.Errorf("storage: cursor key: %w", err)
	}
	return &Key{aead: aead}, nil
}

// Seal encrypts plain and authenticates it together with aad.
func Seal(k *Key, plain, aad []byte) []byte { return k.aead.Seal(nil, nil, plain, aad) }

// Open returns what Seal sealed under k for aad, or an error for anything
// else.
func Open(k *Key, sealed, aad []byte) ([]byte, error) { return k.aead.Open(nil, nil, sealed, aad) }
