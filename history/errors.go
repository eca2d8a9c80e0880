package history

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors, checked with errors.Is. Their text never carries a value of
// the document: only paths, indexes and versions, so that an error can be
// logged without leaking personal data.
var (
	// ErrInvalidJSON reports bytes that are not one well-formed JSON value.
	ErrInvalidJSON = errors.New("history: invalid JSON")
	// ErrInvalidChange reports a change that is not a valid [op, path, values]
	// triple of the seed's format (003, section 3.2).
	ErrInvalidChange = errors.New("history: invalid change")
	// ErrPathNotFound reports a change whose path, key or index does not exist
	// in the document it is applied to.
	ErrPathNotFound = errors.New("history: path not found")
	// ErrValueMismatch reports a change whose recorded old (or removed) value
	// differs from the value found in the document.
	ErrValueMismatch = errors.New("history: value differs from the recorded one")
	// ErrKeyExists reports an add of an object key that is already present.
	ErrKeyExists = errors.New("history: key already exists")
	// ErrVersionNotFound reports a version that the given entries cannot reach:
	// out of range, or with an entry missing or duplicated on the way.
	ErrVersionNotFound = errors.New("history: version not reachable from the entries")
)

// PatchError is the error of Patch and Revert when a change does not apply.
// Change is the index of the change in its list and Path the path of the
// value at fault; Err is one of ErrPathNotFound, ErrValueMismatch,
// ErrKeyExists or ErrInvalidChange.
type PatchError struct {
	Change int
	Path   Path
	Err    error
}

// Error names the change index, the path and the kind of problem; never a
// value.
func (e *PatchError) Error() string {
	return fmt.Sprintf("history: change %d at %s: %s", e.Change, e.Path.display(), trimPrefix(e.Err))
}

// Unwrap returns the kind of problem, for errors.Is.
func (e *PatchError) Unwrap() error { return e.Err }

// VersionError is the error of Rebuild and Replay when the entry leading from
// Version to the next one does not apply, or when Version cannot be reached.
type VersionError struct {
	Version int
	Err     error
}

// Error names the version and the underlying problem.
func (e *VersionError) Error() string {
	return fmt.Sprintf("history: version %d: %s", e.Version, trimPrefix(e.Err))
}

// Unwrap returns the underlying error (a *PatchError or ErrVersionNotFound).
func (e *VersionError) Unwrap() error { return e.Err }

func trimPrefix(err error) string {
	return strings.TrimPrefix(err.Error(), "history: ")
}

func invalidChange(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrInvalidChange}, args...)...)
}

func sideError(which string, err error) error {
	return fmt.Errorf("%w (%s document)", err, which)
}
