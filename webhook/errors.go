package webhook

import (
	"errors"
	"strconv"
)

// Kinds of failure, checked with errors.Is.
var (
	// ErrSignature: a request's signature headers are missing, malformed,
	// too old or too new, or match none of the secrets.
	ErrSignature = errors.New("webhook: signature does not verify")
	// ErrSecret: a secret is not "whsec_" followed by base64.
	ErrSecret = errors.New("webhook: invalid secret")
	// ErrDelivery: a sink did not accept an event.
	ErrDelivery = errors.New("webhook: delivery failed")
	// ErrProfile: the profile to send with an event could not be read
	// (HTTPSink.Profile); the delivery is retried like any other failure.
	ErrProfile = errors.New("webhook: profile unavailable")
)

// StatusError is a receiver's answer other than 2xx. It carries the
// status only: a response body may quote anything.
type StatusError struct {
	Status int
}

// Error returns "webhook: delivery failed: status N".
func (e *StatusError) Error() string {
	return ErrDelivery.Error() + ": status " + strconv.Itoa(e.Status)
}

// Is makes errors.Is(err, ErrDelivery) true.
func (e *StatusError) Is(target error) bool { return target == ErrDelivery }
