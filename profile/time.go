package profile

import "time"

// Timestamp is an instant, written on the wire as integer milliseconds since
// the Unix epoch, as in every example of seed 003. The zero Timestamp means
// "not set".
type Timestamp int64

// TimestampOf returns t as a Timestamp, truncated to the millisecond.
func TimestampOf(t time.Time) Timestamp { return Timestamp(t.UnixMilli()) }

// Time returns the instant in UTC.
func (t Timestamp) Time() time.Time { return time.UnixMilli(int64(t)).UTC() }

// IsZero reports whether the timestamp is unset.
func (t Timestamp) IsZero() bool { return t == 0 }

// Date is a calendar date (birth, foundation, inscription, document issue and
// expiry), written as the milliseconds of its midnight UTC. It never shifts
// with the local time zone.
type Date int64

const msPerDay = 24 * 60 * 60 * 1000

// DateOf returns the calendar date y-m-d.
func DateOf(y int, m time.Month, d int) Date {
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).UnixMilli())
}

// DateFromTime returns the calendar date of t in t's own location, so that a
// local date stays the same date.
func DateFromTime(t time.Time) Date {
	y, m, d := t.Date()
	return DateOf(y, m, d)
}

// ParseDate parses an ISO 8601 calendar date ("1989-01-01").
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return DateFromTime(t), nil
}

// Time returns midnight UTC of the date.
func (d Date) Time() time.Time { return time.UnixMilli(int64(d)).UTC() }

// IsMidnight reports whether the value is exactly a midnight UTC, as a
// calendar date on the wire must be.
func (d Date) IsMidnight() bool { return int64(d)%msPerDay == 0 }

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return d.Time().Format(time.DateOnly) }

// DatePtr returns a pointer to d, for the optional date fields.
func DatePtr(d Date) *Date { return &d }
