// Command webhook delivers the change feed of a tenant to a webhook
// receiver: the service commits changes (each with its feed event, in the
// same atomic step), a relay posts the events signed as the Standard
// Webhooks specification says, and the receiver verifies each signature
// and deduplicates on the webhook-id before it acts.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage/memory"
	"github.com/kycsdk/kyc/webhook"
)

func main() {
	if err := run(context.Background()); err != nil {
		log.Fatal(err)
	}
}

// receiver is the other system's endpoint. It keeps the secret it was
// given when the webhook was registered, and the ids it has handled.
type receiver struct {
	secrets []webhook.Secret
	mu      sync.Mutex
	seen    map[string]bool
	done    chan struct{}
	want    int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "unreadable body", http.StatusBadRequest)
		return
	}
	// Verify before anything else: the signature, and a timestamp close
	// to now (an old request replayed is refused).
	id, err := webhook.Verify(rc.secrets, r.Header, body, time.Now(), webhook.DefaultTolerance)
	if err != nil {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	var p webhook.Payload
	if err := json.Unmarshal(body, &p); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	// At least once means maybe twice: the id says whether this event
	// was handled already.
	if !rc.seen[id] {
		rc.seen[id] = true
		fmt.Printf("verified %-20s position %d, profile %s version %d, paths %v\n",
			p.Type, p.Data.Position, p.Data.ProfileID, p.Data.Version, p.Data.Paths)
		if len(rc.seen) == rc.want {
			close(rc.done)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func run(ctx context.Context) error {
	store := memory.New()
	svc, err := kyc.New(store, kyc.Options{})
	if err != nil {
		return err
	}
	maker := kyc.Operator{Tenant: "acme", User: "olivia", Scopes: []string{"tenant_aml_operator"}}

	// The changes: a creation, an edit, a move, a comment.
	p, err := svc.Create(ctx, maker, &profile.Profile{
		PersonType:  profile.LegalPerson,
		Name:        "Araoz S.R.L.",
		TaxPayerID:  "33-96669665-8",
		LegalPerson: &profile.Legal{Constitution: "society_limited_liability"},
	})
	if err != nil {
		return err
	}
	p.Labels = []string{"priority"}
	if p, err = svc.Update(ctx, maker, p, kyc.UpdateOptions{}); err != nil {
		return err
	}
	if p, err = svc.Transition(ctx, maker, p.ID, "pending"); err != nil {
		return err
	}
	if _, err = svc.AddComment(ctx, maker, p.ID, "<p>Called the customer</p>"); err != nil {
		return err
	}

	// The receiver, on a local port.
	secret := webhook.NewSecret()
	rc := &receiver{secrets: []webhook.Secret{secret}, seen: map[string]bool{}, done: make(chan struct{}), want: 4}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: rc, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	// The relay: the feed of acme to the receiver, until all is there.
	sink := &webhook.HTTPSink{URL: "http://" + ln.Addr().String() + "/kyc-events", Secrets: []webhook.Secret{secret}}
	relay, err := webhook.NewRelay(store, sink, webhook.Options{Tenants: []string{"acme"}, Poll: 10 * time.Millisecond})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	go relay.Run(ctx)
	select {
	case <-rc.done:
		fmt.Println("every change delivered and verified")
		return nil
	case <-ctx.Done():
		return fmt.Errorf("not every change arrived: %w", ctx.Err())
	}
}
