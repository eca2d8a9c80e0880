package webhook_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/kycsdk/kyc/webhook"
)

// FuzzVerify feeds Verify arbitrary headers and bodies, as an attacker
// posting to a receiver would: it never panics, refuses with ErrSignature
// whatever does not carry a valid signature, and accepts what Sign made.
func FuzzVerify(f *testing.F) {
	f.Add(specID, "1614265330", specSignature, []byte(specBody))
	f.Add("", "", "", []byte{})
	f.Add("id", "-9223372036854775808", "v1,"+specSignature+" v1, v2,x", []byte("{}"))
	secret, _ := webhook.ParseSecret(specSecret)
	now := time.Unix(1614265330, 0)
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set(webhook.HeaderID, id)
		h.Set(webhook.HeaderTimestamp, ts)
		h.Set(webhook.HeaderSignature, sig)
		got, err := webhook.Verify([]webhook.Secret{secret}, h, body, now, 0)
		if err != nil && !errors.Is(err, webhook.ErrSignature) {
			t.Fatalf("Verify error %v is not ErrSignature", err)
		}
		if err == nil && got != h.Get(webhook.HeaderID) {
			t.Fatalf("Verify returned id %q for header %q", got, h.Get(webhook.HeaderID))
		}
		if id == "" || h.Get(webhook.HeaderID) != id {
			return
		}
		// What Sign makes for this id and body verifies.
		h.Set(webhook.HeaderTimestamp, "1614265330")
		h.Set(webhook.HeaderSignature, secret.Sign(id, now, body))
		if _, err := webhook.Verify([]webhook.Secret{secret}, h, body, now, 0); err != nil {
			t.Fatalf("a signed request does not verify: %v", err)
		}
	})
}
