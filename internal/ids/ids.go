// Package ids gives the library's default ids: NewV7, the RFC 9562
// version 7 UUID of github.com/google/uuid. The Service takes its id
// source as kyc.Options.IDs, so that tests inject deterministic ones.
//
// NewV7 is safe for concurrent use.
package ids

import "github.com/google/uuid"

// NewV7 returns a new RFC 9562 version 7 UUID: 48 bits of Unix
// milliseconds followed by random bits, so ids sort by creation time, which
// keeps index inserts local in every store. Within one millisecond, ids from
// the same process still increase: google/uuid fills the bits after the
// milliseconds with a sub-millisecond clock that never goes back.
//
// It panics only if the system's random source fails, which crypto/rand
// does not do on supported platforms (it crashes the program instead).
func NewV7() string { return uuid.Must(uuid.NewV7()).String() }
