package driver

import (
	"cmp"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/kycsdk/kyc/storage"
)

// CheckEvent checks the feed event of a write on profile profileID at
// version (0: a write that makes no version, a deletion or a comment); nil
// is no event and passes.
func CheckEvent(ev *storage.Event, profileID string, version int) error {
	if ev == nil {
		return nil
	}
	if err := cmp.Or(CheckID("event id", ev.ID), CheckID("event kind", ev.Kind)); err != nil {
		return err
	}
	if ev.ProfileID != profileID {
		return fmt.Errorf("%w: event profile_id differs from the profile id", storage.ErrInvalid)
	}
	if version > 0 && ev.Version != version {
		return fmt.Errorf("%w: event version differs from the profile version", storage.ErrInvalid)
	}
	if ev.User != "" {
		if err := CheckID("event user", ev.User); err != nil {
			return err
		}
	}
	if ev.CommentID != "" {
		if err := CheckID("event comment_id", ev.CommentID); err != nil {
			return err
		}
	}
	return nil
}

// EncodeEvent returns the JSON a store keeps of ev: everything but its
// position, which the store keeps in a column of its own. It fails with
// storage.ErrTooLarge over storage.MaxEntryBytes (the paths of a change
// are fewer than its entry's).
func EncodeEvent(ev storage.Event) ([]byte, error) {
	ev.Position = 0
	b, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("%w: event does not encode: %w", storage.ErrInvalid, err)
	}
	if len(b) > storage.MaxEntryBytes {
		return nil, fmt.Errorf("%w: event encodes to %d bytes, limit %d", storage.ErrTooLarge, len(b), storage.MaxEntryBytes)
	}
	return b, nil
}

// DecodeEvent decodes what EncodeEvent wrote and sets its position.
func DecodeEvent(b []byte, position int64) (storage.Event, error) {
	var ev storage.Event
	if err := json.Unmarshal(b, &ev); err != nil {
		return ev, fmt.Errorf("storage: stored event does not decode: %w", err)
	}
	ev.Position = position
	return ev, nil
}

// ChangesLimit checks the arguments of Changes and returns the page size
// to read.
func ChangesLimit(tenant string, after int64, limit int) (int, error) {
	if err := CheckID("tenant", tenant); err != nil {
		return 0, err
	}
	if after < 0 {
		return 0, &storage.QueryError{Field: "After", Reason: "negative position"}
	}
	return FeedLimit(limit), nil
}

// FeedLimit is how many events or dead letters a read with limit returns:
// storage.DefaultChanges when limit <= 0, at most storage.MaxChanges.
func FeedLimit(limit int) int {
	switch {
	case limit <= 0:
		return storage.DefaultChanges
	case limit > storage.MaxChanges:
		return storage.MaxChanges
	}
	return limit
}

// CheckConsumer checks the tenant, consumer name and owner of a
// storage.Consumers call; owner may be empty where none is given.
func CheckConsumer(tenant, name, owner string) error {
	if err := cmp.Or(CheckID("tenant", tenant), CheckID("consumer", name)); err != nil {
		return err
	}
	if owner != "" {
		return CheckID("owner", owner)
	}
	return nil
}

// MaxReasonBytes bounds the reason of a dead letter; a longer one is cut.
const MaxReasonBytes = 512

// Reason returns r cut to MaxReasonBytes on a rune boundary.
func Reason(r string) string {
	if len(r) <= MaxReasonBytes {
		return r
	}
	r = r[:MaxReasonBytes]
	for len(r) > 0 && !utf8.ValidString(r) {
		r = r[:len(r)-1]
	}
	return r
}
