package webhook

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile/interop"
	"github.com/kycsdk/kyc/storage"
)

// ProfileFunc returns the document an HTTPSink sends with a tenant's
// event (Payload.Profile), or nil to send the event alone. An error fails
// the delivery, which the relay retries.
type ProfileFunc func(ctx context.Context, tenant string, ev storage.Event) (json.RawMessage, error)

// ClientProfile returns a ProfileFunc that sends, for the tenants that ask
// for it, the changed profile in the client shape of seed 002
// (interop.ExportClient), read through svc with the permissions of the
// operator operatorFor gives the tenant (ok false: the tenant wants events
// alone). The profile is read when the event is delivered, so it may be a
// later version than the event's; a deleted profile is sent as no profile.
//
// A payload with a profile carries personal data: the receiver must be
// one the tenant trusts with it, over TLS.
func ClientProfile(svc *kyc.Service, operatorFor func(tenant string) (op kyc.Operator, ok bool)) ProfileFunc {
	return func(ctx context.Context, tenant string, ev storage.Event) (json.RawMessage, error) {
		op, ok := operatorFor(tenant)
		if !ok {
			return nil, nil
		}
		p, err := svc.Get(ctx, op, ev.ProfileID)
		if errors.Is(err, storage.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		out, _, err := interop.ExportClient(p)
		return out, err
	}
}
