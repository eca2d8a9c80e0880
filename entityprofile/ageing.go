package entityprofile

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/kycsdk/kyc/profile"
)

type ageingKind uint8

const (
	ageingUnset ageingKind = iota
	ageingDuration
	ageingNever
	ageingDocument
)

// The textual forms of the two ageing rules that are not durations.
const (
	AgeingNever    = "never"
	AgeingDocument = "document"
)

// Ageing is how long a check result stays valid after it was performed
// (seed 001, "check result ageing rules"): a fixed duration, never expiring,
// or valid until the identity document it verified expires. The zero Ageing
// is unset and is never accepted by NewRegistry.
type Ageing struct {
	kind ageingKind
	d    time.Duration
}

// Never returns the ageing of a result that never expires.
func Never() Ageing { return Ageing{kind: ageingNever} }

// UntilDocumentExpiry returns the ageing of a result that stays valid until
// the identity document expires.
func UntilDocumentExpiry() Ageing { return Ageing{kind: ageingDocument} }

// For returns the ageing of a result valid for d after it was performed. A
// d that is not positive, or over MaxAgeing, gives an ageing whose String
// ParseAgeing (and so a configuration) refuses.
func For(d time.Duration) Ageing { return Ageing{kind: ageingDuration, d: d} }

// IsNever reports whether results never expire.
func (a Ageing) IsNever() bool { return a.kind == ageingNever }

// IsDocument reports whether results last until the document expires.
func (a Ageing) IsDocument() bool { return a.kind == ageingDocument }

// Duration returns the validity of a result, and false when the ageing is not
// a duration.
func (a Ageing) Duration() (time.Duration, bool) { return a.d, a.kind == ageingDuration }

// String returns the form ParseAgeing reads: "never", "document", whole days
// as "365d", and any other duration as Go writes it ("36h0m0s").
func (a Ageing) String() string {
	switch a.kind {
	case ageingNever:
		return AgeingNever
	case ageingDocument:
		return AgeingDocument
	case ageingDuration:
		if a.d%day == 0 {
			return strconv.FormatInt(int64(a.d/day), 10) + "d"
		}
		return a.d.String()
	}
	return "unset"
}

const day = 24 * time.Hour

// MaxAgeing is the longest ageing a configuration may give: 100 years
// (36,525 days). A result meant to last longer is "never"; a longer
// duration is a typing error, and bounding it keeps the expiry of any
// result performed before year 9999 inside a Timestamp.
const MaxAgeing = 36525 * day

// maxDays keeps a day count inside time.Duration (about 292 years).
const maxDays = int64(1<<63-1) / int64(day)

// Problems ParseAgeing reports; NewRegistry reports them with the JSON path
// of the rule.
var (
	errAgeingMalformed = errors.New("malformed ageing: want a duration (\"90d\", \"720h\"), \"never\" or \"document\"")
	errAgeingNegative  = errors.New("negative ageing")
	errAgeingZero      = errors.New("zero ageing: a result would never be valid")
	errAgeingTooLong   = errors.New("ageing over 100 years (MaxAgeing): use \"never\"")
)

// ParseAgeing parses an ageing rule: "never", "document" (valid until the
// identity document expires), a whole number of days ("365d") or a Go
// duration ("720h", "90m"). Negative and zero durations, and durations
// over MaxAgeing, are errors.
func ParseAgeing(s string) (Ageing, error) {
	switch s {
	case AgeingNever:
		return Never(), nil
	case AgeingDocument:
		return UntilDocumentExpiry(), nil
	}
	d, err := parseDuration(s)
	if err != nil {
		return Ageing{}, err
	}
	if d < 0 {
		return Ageing{}, errAgeingNegative
	}
	if d == 0 {
		return Ageing{}, errAgeingZero
	}
	if d > MaxAgeing {
		return Ageing{}, errAgeingTooLong
	}
	return For(d), nil
}

func parseDuration(s string) (time.Duration, error) {
	days, ok := strings.CutSuffix(s, "d")
	if !ok {
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, errAgeingMalformed
		}
		return d, nil
	}
	n, err := strconv.ParseInt(days, 10, 64)
	if err != nil || n > maxDays || n < -maxDays {
		return 0, errAgeingMalformed
	}
	return time.Duration(n) * day, nil
}

// shorterOrEqual reports whether a never lets a result outlive b: a risk
// policy may shorten ageing, not lengthen it. A document expiry has no fixed
// length, so it compares with nothing but itself and never.
func (a Ageing) shorterOrEqual(b Ageing) bool {
	switch {
	case b.kind == ageingNever:
		return true
	case a.kind == ageingNever:
		return false
	case a.kind == ageingDocument || b.kind == ageingDocument:
		return true
	}
	return a.d <= b.d
}

// expiry returns when a result performed at performed expires under the
// ageing, with 0 meaning never. For a document ageing it is the end of the
// expiry day of the earliest-expiring identity document that was still valid
// when the check ran: the result does not say which document it verified, so
// the earliest expiry is the one that cannot overstate its validity. A
// valid document without an expiry date does not expire. With no valid
// document at all, the result verified nothing that lasts and is expired
// at once: its expiry is the instant it was performed (expiredAt).
func (a Ageing) expiry(performed profile.Timestamp, docs []profile.IdentityDocument) profile.Timestamp {
	switch a.kind {
	case ageingDuration:
		return addSaturating(performed, profile.Timestamp(a.d/time.Millisecond))
	case ageingDocument:
		return documentExpiry(performed, docs)
	}
	return 0
}

const msPerDay = profile.Timestamp(day / time.Millisecond)

func documentExpiry(performed profile.Timestamp, docs []profile.IdentityDocument) profile.Timestamp {
	var earliest profile.Timestamp
	valid := false
	for i := range docs {
		end, expires := documentEnd(docs[i])
		if !expires {
			valid = true
			continue
		}
		if end <= performed {
			continue
		}
		if earliest == 0 || end < earliest {
			earliest = end
		}
	}
	switch {
	case earliest != 0:
		return earliest
	case valid:
		return 0
	}
	return expiredAt(performed)
}

// expiredAt is the expiry of a result expired from the instant it was
// performed: that instant, which every plan and evaluation at or after it
// reads as expired (a result performed later than the time asked about is
// ignored). 0 means never, so a result performed at the Unix epoch itself
// gets 1 ms.
func expiredAt(performed profile.Timestamp) profile.Timestamp {
	if performed == 0 {
		return 1
	}
	return performed
}

// documentEnd is the instant a document stops being valid: the end of its
// expiry day, since a document is valid on the date printed as its expiry.
// false means it does not expire.
func documentEnd(d profile.IdentityDocument) (profile.Timestamp, bool) {
	if d.ExpiryDate == nil {
		return 0, false
	}
	return addSaturating(profile.Timestamp(*d.ExpiryDate), msPerDay), true
}

// addSaturating adds two instants' worth of milliseconds without wrapping:
// a date near the end of int64 (which Validate refuses, but Record does not
// validate the profile) stays in the far future instead of becoming a
// date before 1970.
func addSaturating(t, d profile.Timestamp) profile.Timestamp {
	if d > 0 && t > math.MaxInt64-d {
		return math.MaxInt64
	}
	return t + d
}

// Equal reports whether a and b are the same rule.
func (a Ageing) Equal(b Ageing) bool { return a == b }
