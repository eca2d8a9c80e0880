package webhook

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/kycsdk/kyc/storage"
)

// Sink receives the events a Relay delivers. Deliver returns nil once the
// event is accepted; any error makes the relay try again later, so a Sink
// must accept the same event twice (it has the same ID) without harm.
type Sink interface {
	Deliver(ctx context.Context, tenant string, ev storage.Event) error
}

// SinkFunc makes a function a Sink.
type SinkFunc func(ctx context.Context, tenant string, ev storage.Event) error

// Deliver calls f.
func (f SinkFunc) Deliver(ctx context.Context, tenant string, ev storage.Event) error {
	return f(ctx, tenant, ev)
}

// Payload is the JSON body of a webhook request, in the shape the Standard
// Webhooks specification recommends: a type, a timestamp and the data.
type Payload struct {
	// Type is "kyc." followed by the event's kind: "kyc.updated".
	Type string `json:"type"`
	// Timestamp is when the change was made (the event's At).
	Timestamp time.Time `json:"timestamp"`
	Data      Data      `json:"data"`
	// Profile is the changed profile, for the tenants that ask for it
	// (HTTPSink.Profile); absent otherwise.
	Profile json.RawMessage `json:"profile,omitempty"`
}

// Data is the event with its tenant.
type Data struct {
	Tenant string `json:"tenant"`
	storage.Event
}

// NewPayload returns the payload of tenant's event ev.
func NewPayload(tenant string, ev storage.Event) Payload {
	return Payload{Type: "kyc." + ev.Kind, Timestamp: ev.At.Time().UTC(), Data: Data{Tenant: tenant, Event: ev}}
}

// DefaultTimeout bounds one HTTPSink request when HTTPSink.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// maxResponse is how much of a response body HTTPSink reads (and drops),
// so that the connection can be reused.
const maxResponse = 64 << 10

// HTTPSink posts each event as a signed JSON request (Payload) to URL.
// A status other than 2xx, a timeout or a transport error is a failure.
type HTTPSink struct {
	// URL receives the requests.
	URL string
	// Secrets sign every request; during a rotation give the new and
	// the old one, and the request carries a signature under each.
	Secrets []Secret
	// Client sends the requests; nil means http.DefaultClient. Timeout
	// applies either way.
	Client *http.Client
	// Timeout bounds one request, from sending to the end of the
	// response's headers; DefaultTimeout when zero.
	Timeout time.Duration
	// Clock gives the webhook-timestamp; time.Now when nil.
	Clock func() time.Time
	// Profile, when set, gives the profile document sent with each event
	// (ClientProfile: seed 002's client shape, per tenant); nil sends
	// events alone, which carry no personal value.
	Profile ProfileFunc
}

// Deliver implements Sink.
func (s *HTTPSink) Deliver(ctx context.Context, tenant string, ev storage.Event) error {
	if len(s.Secrets) == 0 {
		return fmt.Errorf("%w: no signing secret", ErrSecret)
	}
	payload := NewPayload(tenant, ev)
	if s.Profile != nil {
		doc, err := s.Profile(ctx, tenant, ev)
		if err != nil {
			return fmt.Errorf("%w: %w", ErrProfile, err)
		}
		payload.Profile = doc
	}
	body, err := json.Marshal(payload)
	if err != nil {
		return fmt.Errorf("webhook: encode payload: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, cmpOr(s.Timeout, DefaultTimeout))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("webhook: request: %w", err)
	}
	now := time.Now
	if s.Clock != nil {
		now = s.Clock
	}
	at := now()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderID, ev.ID)
	req.Header.Set(HeaderTimestamp, fmt.Sprint(at.Unix()))
	req.Header.Set(HeaderSignature, SignatureHeader(s.Secrets, ev.ID, at, body))
	resp, err := cmp.Or(s.Client, http.DefaultClient).Do(req)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrDelivery, err)
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxResponse))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &StatusError{Status: resp.StatusCode}
	}
	return nil
}
