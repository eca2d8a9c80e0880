package webhook_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kycsdk/kyc/webhook"
)

// The example of the Standard Webhooks specification's reference
// libraries: secret, id, timestamp, body and the signature they publish.
const (
	specSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	specID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	specTimestamp = 1614265330
	specBody      = `{"test": 2432232314}`
	specSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func TestSignSpecVector(t *testing.T) {
	s, err := webhook.ParseSecret(specSecret)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Sign(specID, time.Unix(specTimestamp, 0), []byte(specBody)); got != specSignature {
		t.Fatalf("Sign = %s, want %s", got, specSignature)
	}
	if s.String() != specSecret {
		t.Errorf("String = %s", s)
	}
}

func specHeader(sig string) http.Header {
	h := http.Header{}
	h.Set(webhook.HeaderID, specID)
	h.Set(webhook.HeaderTimestamp, strconv.Itoa(specTimestamp))
	h.Set(webhook.HeaderSignature, sig)
	return h
}

func TestVerify(t *testing.T) {
	s, _ := webhook.ParseSecret(specSecret)
	other := webhook.NewSecret()
	at := time.Unix(specTimestamp, 0)
	body := []byte(specBody)
	if id, err := webhook.Verify([]webhook.Secret{s}, specHeader(specSignature), body, at.Add(time.Minute), 0); err != nil || id != specID {
		t.Fatalf("Verify = %q, %v", id, err)
	}
	// During a rotation: the request signed under both, the receiver
	// knowing either.
	both := webhook.SignatureHeader([]webhook.Secret{other, s}, specID, at, body)
	for _, known := range [][]webhook.Secret{{s}, {other}, {webhook.NewSecret(), other}} {
		if _, err := webhook.Verify(known, specHeader(both), body, at, 0); err != nil {
			t.Errorf("rotation: %v", err)
		}
	}
	bad := []struct {
		name   string
		h      http.Header
		body   string
		now    time.Time
		secret webhook.Secret
	}{
		{"tampered body", specHeader(specSignature), `{"test": 2432232315}`, at, s},
		{"other secret", specHeader(specSignature), specBody, at, other},
		{"too old", specHeader(specSignature), specBody, at.Add(6 * time.Minute), s},
		{"too new", specHeader(specSignature), specBody, at.Add(-6 * time.Minute), s},
		{"no signature", specHeader(""), specBody, at, s},
		{"unknown version", specHeader(strings.Replace(specSignature, "v1,", "v2,", 1)), specBody, at, s},
		{"not base64", specHeader("v1,@@@"), specBody, at, s},
	}
	for _, b := range bad {
		if _, err := webhook.Verify([]webhook.Secret{b.secret}, b.h, []byte(b.body), b.now, 0); !errors.Is(err, webhook.ErrSignature) {
			t.Errorf("%s: Verify = %v, want ErrSignature", b.name, err)
		}
	}
	h := specHeader(specSignature)
	h.Set(webhook.HeaderTimestamp, "yesterday")
	if _, err := webhook.Verify([]webhook.Secret{s}, h, body, at, 0); !errors.Is(err, webhook.ErrSignature) {
		t.Errorf("bad timestamp: %v", err)
	}
}

func TestParseSecret(t *testing.T) {
	for _, bad := range []string{"", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_!!!", "whsec_c2hvcnQ="} {
		if _, err := webhook.ParseSecret(bad); !errors.Is(err, webhook.ErrSecret) {
			t.Errorf("ParseSecret(%q) = %v, want ErrSecret", bad, err)
		}
	}
	s := webhook.NewSecret()
	again, err := webhook.ParseSecret(s.String())
	if err != nil || string(again) != string(s) {
		t.Errorf("round trip: %v", err)
	}
}
