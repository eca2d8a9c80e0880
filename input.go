package kyc

import (
	"fmt"
	"strings"

	"github.com/kycsdk/kyc/profile"
)

// maxReasonBytes bounds the free texts an operation records in the history
// (reasons, outcomes, notes, sources).
const maxReasonBytes = 4 << 10

// checkText refuses a free text no store could keep alike (invalid UTF-8,
// or a NUL, which PostgreSQL refuses: profile.StorableText) or one over
// maxReasonBytes. The error names the argument, never its value.
func checkText(name, s string) error {
	switch {
	case !profile.StorableText(s):
		return fmt.Errorf("%w: %s is not valid UTF-8 or contains a NUL character", ErrInvalidInput, name)
	case len(s) > maxReasonBytes:
		return fmt.Errorf("%w: %s is %d bytes, the limit is %d", ErrInvalidInput, name, len(s), maxReasonBytes)
	}
	return nil
}

// requireText is checkText for a text that must not be blank.
func requireText(name, s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("%w: %s is required", ErrInvalidInput, name)
	}
	return checkText(name, s)
}
