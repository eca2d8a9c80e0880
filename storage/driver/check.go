package driver

import (
	"encoding/json"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// CheckID reports whether s is usable as a tenant or record id: not empty,
// at most storage.MaxIDBytes, valid UTF-8 without control characters. what names
// the field in the error ("tenant", "profile id").
func CheckID(what, s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%w: empty %s", storage.ErrInvalid, what)
	case len(s) > storage.MaxIDBytes:
		return fmt.Errorf("%w: %s longer than %d bytes", storage.ErrInvalid, what, storage.MaxIDBytes)
	case !utf8.ValidString(s):
		return fmt.Errorf("%w: %s not UTF-8", storage.ErrInvalid, what)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w: control character in %s", storage.ErrInvalid, what)
		}
	}
	return nil
}

// CheckCreate checks the arguments of CreateProfile.
func CheckCreate(tenant string, p *profile.Profile, e *history.Entry) error {
	if err := checkProfile(tenant, p); err != nil {
		return err
	}
	if p.Version < 1 {
		return fmt.Errorf("%w: version must be at least 1", storage.ErrInvalid)
	}
	if e == nil {
		return nil
	}
	return checkEntry(p, *e)
}

// CheckUpdate checks the arguments of UpdateProfile.
func CheckUpdate(tenant string, p *profile.Profile, e history.Entry) error {
	if err := checkProfile(tenant, p); err != nil {
		return err
	}
	if e.Version < 1 {
		return fmt.Errorf("%w: entry version must be at least 1", storage.ErrInvalid)
	}
	return checkEntry(p, e)
}

func checkProfile(tenant string, p *profile.Profile) error {
	if err := CheckID("tenant", tenant); err != nil {
		return err
	}
	if p == nil {
		return fmt.Errorf("%w: nil profile", storage.ErrInvalid)
	}
	return CheckID("profile id", p.ID)
}

func checkEntry(p *profile.Profile, e history.Entry) error {
	if err := CheckID("entry id", e.ID); err != nil {
		return err
	}
	if e.OrigID != p.ID {
		return fmt.Errorf("%w: entry orig_id differs from the profile id", storage.ErrInvalid)
	}
	if e.Version != p.Version-1 {
		return fmt.Errorf("%w: entry version must be the profile version minus one", storage.ErrInvalid)
	}
	return nil
}

// CheckComment checks the arguments of AddComment and UpdateComment.
func CheckComment(tenant string, c *storage.Comment) error {
	if err := CheckID("tenant", tenant); err != nil {
		return err
	}
	if c == nil {
		return fmt.Errorf("%w: nil comment", storage.ErrInvalid)
	}
	if err := CheckID("comment id", c.ID); err != nil {
		return err
	}
	if err := CheckID("profile id", c.ProfileID); err != nil {
		return err
	}
	if len(c.Body) > storage.MaxCommentBytes {
		return fmt.Errorf("%w: comment body over %d bytes", storage.ErrTooLarge, storage.MaxCommentBytes)
	}
	if !utf8.ValidString(c.Body) {
		return fmt.Errorf("%w: comment body not UTF-8", storage.ErrInvalid)
	}
	return nil
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

// CheckIDs checks a tenant and a profile id together, the arguments of most
// Store methods.
func CheckIDs(tenant, profileID string) error {
	if err := CheckID("tenant", tenant); err != nil {
		return err
	}
	return CheckID("profile id", profileID)
}

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
