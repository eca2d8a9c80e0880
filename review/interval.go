package review

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kycsdk/kyc/internal/jsonconfig"
)

// Interval is a calendar interval in years, months and days, as an ISO
// 8601 duration: "P1Y", "P6M", "P30D", "P2W", "P1Y6M". Calendar units,
// not hours: a review due a year after the last one falls on the same
// day of the year, whatever the length of the year.
type Interval struct {
	Years, Months, Days int
}

// MaxInterval bounds every interval of a policy: a review or re-screening
// less often than every ten years is taken for a mistake (the regulation's
// longest interval is five years).
var MaxInterval = Interval{Years: 10}

// Years returns an interval of n years.
func Years(n int) Interval { return Interval{Years: n} }

// Months returns an interval of n months.
func Months(n int) Interval { return Interval{Months: n} }

// Days returns an interval of n days.
func Days(n int) Interval { return Interval{Days: n} }

// After returns the moment the interval after t.
func (i Interval) After(t time.Time) time.Time { return t.AddDate(i.Years, i.Months, i.Days) }

// Before returns the moment the interval before t.
func (i Interval) Before(t time.Time) time.Time { return t.AddDate(-i.Years, -i.Months, -i.Days) }

// IsZero reports whether the interval is empty.
func (i Interval) IsZero() bool { return i == Interval{} }

// reference is the moment intervals are compared at.
var reference = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// longer reports whether i is longer than j, measured from one fixed
// moment.
func (i Interval) longer(j Interval) bool { return i.After(reference).After(j.After(reference)) }

// positive reports whether the interval moves time forward.
func (i Interval) positive() bool { return i.After(reference).After(reference) }

// String returns the ISO 8601 form, "P1Y6M"; the zero interval is "P0D".
func (i Interval) String() string {
	if i.IsZero() {
		return "P0D"
	}
	var b strings.Builder
	b.WriteByte('P')
	for _, u := range []struct {
		n    int
		unit byte
	}{{i.Years, 'Y'}, {i.Months, 'M'}, {i.Days, 'D'}} {
		if u.n != 0 {
			b.WriteString(strconv.Itoa(u.n))
			b.WriteByte(u.unit)
		}
	}
	return b.String()
}

// ParseInterval reads an ISO 8601 duration of whole years, months, weeks
// and days ("P1Y", "P6M", "P2W", "P1Y6M15D"); a week is seven days. Time
// parts ("PT12H") are refused: reviews are planned in days.
func ParseInterval(s string) (Interval, error) {
	rest, ok := strings.CutPrefix(s, "P")
	if !ok || rest == "" {
		return Interval{}, fmt.Errorf("is not an ISO 8601 duration such as P1Y, P6M or P30D")
	}
	var i Interval
	order := "YMWD"
	for rest != "" {
		n := 0
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 0 || n == len(rest) || n > 5 {
			return Interval{}, fmt.Errorf("is not an ISO 8601 duration of years, months, weeks and days (P1Y, P6M, P30D)")
		}
		v, _ := strconv.Atoi(rest[:n]) // at most five digits
		unit := rest[n]
		at := strings.IndexByte(order, unit)
		if at < 0 {
			return Interval{}, fmt.Errorf("has a unit other than Y, M, W or D (time parts are not allowed)")
		}
		order = order[at+1:] // each unit once, in order
		switch unit {
		case 'Y':
			i.Years = v
		case 'M':
			i.Months = v
		case 'W':
			i.Days += 7 * v
		case 'D':
			i.Days += v
		}
		rest = rest[n+1:]
	}
	return i, nil
}

// MarshalText writes the ISO 8601 form.
func (i Interval) MarshalText() ([]byte, error) { return []byte(i.String()), nil }

// UnmarshalText reads the ISO 8601 form.
func (i *Interval) UnmarshalText(b []byte) error {
	v, err := ParseInterval(string(b))
	if err != nil {
		return &jsonconfig.ValueError{Problem: err.Error()}
	}
	*i = v
	return nil
}
