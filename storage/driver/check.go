package driver

import (
	"cmp"
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
	if err := cmp.Or(CheckID("comment id", c.ID), CheckID("profile id", c.ProfileID)); err != nil {
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

// CheckIDs checks a tenant and a profile id together, the arguments of most
// Store methods.
func CheckIDs(tenant, profileID string) error {
	return cmp.Or(CheckID("tenant", tenant), CheckID("profile id", profileID))
}

// CheckDue checks the arguments of storage.Store.SetDue: the tenant and
// the id of every update. It returns the id at fault ("" for the tenant)
// with the error, for the caller's Wrap.
func CheckDue(tenant string, updates []storage.DueUpdate) (string, error) {
	if err := CheckID("tenant", tenant); err != nil {
		return "", err
	}
	for _, u := range updates {
		if err := CheckID("id", u.ID); err != nil {
			return u.ID, err
		}
	}
	return "", nil
}
