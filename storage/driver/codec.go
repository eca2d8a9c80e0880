package driver

import (
	"encoding/json"
	"fmt"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// EncodeRecord returns the JSON to store for r: r.JSON when set, else the
// encoding of r.Profile; ErrInvalid without a profile and ErrTooLarge over
// MaxProfileBytes either way.
func EncodeRecord(r storage.Record) ([]byte, error) {
	if r.JSON == nil {
		return EncodeProfile(r.Profile)
	}
	if r.Profile == nil {
		return nil, fmt.Errorf("%w: no profile", storage.ErrInvalid)
	}
	if len(r.JSON) > storage.MaxProfileBytes {
		return nil, fmt.Errorf("%w: profile encodes to %d bytes, limit %d", storage.ErrTooLarge, len(r.JSON), storage.MaxProfileBytes)
	}
	return r.JSON, nil
}

// EncodeProfile returns the JSON of p, or storage.ErrTooLarge over storage.MaxProfileBytes.
func EncodeProfile(p *profile.Profile) ([]byte, error) {
	if p == nil {
		return nil, fmt.Errorf("%w: no profile", storage.ErrInvalid)
	}
	// profile.Encode, not json.Marshal, which would scan the output again
	// to check and compact it.
	b, err := profile.Encode(p)
	if err != nil {
		return nil, fmt.Errorf("%w: profile does not encode: %w", storage.ErrInvalid, err)
	}
	return EncodeRecord(storage.Record{Profile: p, JSON: b})
}

// DecodeProfile decodes what EncodeProfile wrote.
func DecodeProfile(b []byte) (*profile.Profile, error) {
	p := new(profile.Profile)
	// Profile.UnmarshalJSON checks the input is valid JSON itself;
	// json.Unmarshal would scan it twice more before calling it (its own
	// validity check, then a skip to the value's end), a third of a Get.
	if err := p.UnmarshalJSON(b); err != nil {
		return nil, fmt.Errorf("storage: stored profile does not decode: %w", err)
	}
	return p, nil
}

// EncodeEntry returns the JSON of e, or storage.ErrTooLarge over storage.MaxEntryBytes.
func EncodeEntry(e history.Entry) ([]byte, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("%w: entry does not encode: %w", storage.ErrInvalid, err)
	}
	if len(b) > storage.MaxEntryBytes {
		return nil, fmt.Errorf("%w: entry encodes to %d bytes, limit %d", storage.ErrTooLarge, len(b), storage.MaxEntryBytes)
	}
	return b, nil
}

// DecodeEntry decodes what EncodeEntry wrote.
func DecodeEntry(b []byte) (history.Entry, error) {
	var e history.Entry
	if err := json.Unmarshal(b, &e); err != nil {
		return e, fmt.Errorf("storage: stored entry does not decode: %w", err)
	}
	return e, nil
}
