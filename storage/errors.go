package storage

import (
	"errors"
	"strconv"
	"time"
)

// Kinds of failure, checked with errors.Is. Adapters wrap them in an *Error
// naming the operation and the record id (driver.Wrap).
var (
	// ErrNotFound: no such profile, comment or history.
	ErrNotFound = errors.New("storage: not found")
	// ErrConflict: the stored version is not the one the update was based
	// on; re-read and retry.
	ErrConflict = errors.New("storage: version conflict")
	// ErrExists: the id is already taken (or was, by a deleted profile).
	ErrExists = errors.New("storage: already exists")
	// ErrInvalid: the input breaks the contract (empty tenant or id, version
	// mismatch...); a refused list or history query is a *QueryError.
	ErrInvalid = errors.New("storage: invalid input")
	// ErrTooLarge: an encoded profile, entry or comment is over its limit.
	ErrTooLarge = errors.New("storage: input too large")
	// ErrRetention: deletion refused while the retention period runs; the
	// error is a *RetentionError.
	ErrRetention = errors.New("storage: retention period running")
	// ErrRetryable: the database kept reporting a transient conflict
	// (serialization failure, busy) after bounded retries; the operation
	// changed nothing and may be retried later.
	ErrRetryable = errors.New("storage: transient failure, retry")
	// ErrClosed: the store was closed.
	ErrClosed = errors.New("storage: store closed")
)

// Error wraps a failure with the operation and the record id it concerns.
// It never carries personal data: ids of records are the only values in it.
type Error struct {
	Op  string // "create profile", "update profile", "list profiles", ...
	ID  string // the record id, when there is one
	Err error
}

// Error returns "storage: <op> <id>: <cause>".
func (e *Error) Error() string {
	msg := "storage: " + e.Op
	if e.ID != "" {
		msg += " " + quote(e.ID)
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the cause, for errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// QueryError refuses a list or history query, naming the field at fault
// ("States", "Text", "Number", "Cursor"...) so that a caller can point at
// the parameter to fix. It never quotes the value: a text filter is often a
// name. errors.Is(err, ErrInvalid) is true.
type QueryError struct {
	Field  string // the Query or HistoryQuery field
	Reason string // what is wrong with it
}

// Error returns "storage: invalid input: <field>: <reason>".
func (e *QueryError) Error() string {
	return ErrInvalid.Error() + ": " + e.Field + ": " + e.Reason
}

// Is makes errors.Is(err, ErrInvalid) true.
func (e *QueryError) Is(target error) bool { return target == ErrInvalid }

// RetentionError refuses the deletion of a profile whose retention period
// still runs. Until is the first moment deletion is allowed; it is zero when
// the relationship has not ended, so no date can be given yet.
type RetentionError struct {
	ProfileID string
	Until     time.Time
}

// Error says until when the profile must be kept, without personal data.
func (e *RetentionError) Error() string {
	if e.Until.IsZero() {
		return "storage: profile " + quote(e.ProfileID) + " must be kept: relationship not ended"
	}
	return "storage: profile " + quote(e.ProfileID) + " must be kept until " + e.Until.UTC().Format(time.RFC3339)
}

// Is makes errors.Is(err, ErrRetention) true.
func (e *RetentionError) Is(target error) bool { return target == ErrRetention }

// quote writes an id between quotes, escaped as a Go string literal so that
// a hostile id cannot forge a log line, and cut to 64 bytes so that it
// cannot flood one.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		s = s[:max] + "..."
	}
	return strconv.Quote(s)
}
