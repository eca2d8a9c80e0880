package webhook_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/webhook"
)

// A request's signature under a secret, as the Standard Webhooks
// specification's own example computes it.
func ExampleSecret_Sign() {
	secret, err := webhook.ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	if err != nil {
		panic(err)
	}
	fmt.Println(secret.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`)))
	// Output: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
}

// A receiver verifies a request before it acts on it, and deduplicates on
// the id Verify returns.
func ExampleVerify() {
	secret, _ := webhook.ParseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	body := []byte(`{"test": 2432232314}`)
	at := time.Unix(1614265330, 0)
	h := http.Header{}
	h.Set(webhook.HeaderID, "msg_p5jXN8AQM9LWM0D4loKWxJek")
	h.Set(webhook.HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(webhook.HeaderSignature, secret.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", at, body))

	id, err := webhook.Verify([]webhook.Secret{secret}, h, body, at.Add(time.Minute), 0)
	fmt.Println(id, err)
	_, err = webhook.Verify([]webhook.Secret{secret}, h, []byte(`{"test": 1}`), at, 0)
	fmt.Println(err)
	// Output:
	// msg_p5jXN8AQM9LWM0D4loKWxJek <nil>
	// webhook: signature does not verify: no signature matches
}

// A relay hands a tenant's events to a sink in order; here the sink
// prints them. A webhook endpoint would be an *HTTPSink.
func ExampleNewRelay() {
	ctx := context.Background()
	store := memory.New()
	for i, id := range []string{"ana", "bob"} {
		p := &profile.Profile{ID: id, Version: 1, State: "active", PersonType: profile.NaturalPerson, Name: "X"}
		ev := &storage.Event{ID: fmt.Sprintf("ev-%d", i+1), Kind: "created", ProfileID: id, Version: 1}
		if err := store.CreateProfile(ctx, "acme", storage.Record{Profile: p, Event: ev}, nil); err != nil {
			panic(err)
		}
	}
	sink := webhook.SinkFunc(func(_ context.Context, tenant string, ev storage.Event) error {
		fmt.Println(tenant, ev.Position, ev.ID, ev.Kind, ev.ProfileID)
		return nil
	})
	relay, err := webhook.NewRelay(store, sink, webhook.Options{Tenants: []string{"acme"}})
	if err != nil {
		panic(err)
	}
	n, err := relay.RunOnce(ctx)
	fmt.Println(n, "delivered", err)
	// Output:
	// acme 1 ev-1 created ana
	// acme 2 ev-2 created bob
	// 2 delivered <nil>
}
