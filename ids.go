package kyc

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// NewUUIDv7 returns a new RFC 9562 version 7 UUID: 48 bits of Unix
// milliseconds followed by random bits, so ids sort by creation time, which
// keeps index inserts local in every store. Within one millisecond, ids from
// the same process still increase, thanks to a counter in the random bits.
func NewUUIDv7() string { return defaultIDs.next(time.Now()) }

var defaultIDs uuidV7Source

type uuidV7Source struct {
	mu   sync.Mutex
	last int64
	seq  uint16
}

func (s *uuidV7Source) next(now time.Time) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		// crypto/rand.Read never fails on supported platforms (Go 1.24+
		// crashes the program instead), so this is unreachable in practice.
		panic("kyc: crypto/rand failed: " + err.Error())
	}
	ms := now.UnixMilli()
	s.mu.Lock()
	if ms <= s.last {
		ms = s.last
		s.seq++
		if s.seq >= 0x0fff {
			// 4,095 ids in one millisecond: borrow the next millisecond.
			ms++
			s.seq = 0
		}
	} else {
		s.seq = uint16(b[6])&0x03 | uint16(b[7])<<2&0x03fc
	}
	s.last = ms
	seq := s.seq
	s.mu.Unlock()

	b[0] = byte(ms >> 40)
	b[1] = byte(ms >> 32)
	b[2] = byte(ms >> 24)
	b[3] = byte(ms >> 16)
	b[4] = byte(ms >> 8)
	b[5] = byte(ms)
	b[6] = 0x70 | byte(seq>>8)&0x0f // version 7 and the counter's high bits
	b[7] = byte(seq)
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	return formatUUID(b)
}

func formatUUID(b [16]byte) string {
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}
