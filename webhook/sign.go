package webhook

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The headers of the Standard Webhooks specification.
const (
	HeaderID        = "webhook-id"
	HeaderTimestamp = "webhook-timestamp"
	HeaderSignature = "webhook-signature"
)

// secretPrefix starts every secret's text form.
const secretPrefix = "whsec_"

// Secret is a signing key: the bytes a "whsec_<base64>" text stands for.
type Secret []byte

// ParseSecret reads a secret in its text form, "whsec_" followed by the
// key in standard base64 (24 to 64 bytes are usual; at least 16 are
// required).
func ParseSecret(text string) (Secret, error) {
	b64, ok := strings.CutPrefix(text, secretPrefix)
	if !ok {
		return nil, fmt.Errorf("%w: no %q prefix", ErrSecret, secretPrefix)
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return nil, fmt.Errorf("%w: not base64", ErrSecret)
	}
	if len(key) < 16 {
		return nil, fmt.Errorf("%w: %d bytes, at least 16 needed", ErrSecret, len(key))
	}
	return Secret(key), nil
}

// NewSecret returns a new random 32-byte secret.
func NewSecret() Secret {
	key := make([]byte, 32)
	rand.Read(key) // never fails (crypto/rand, Go 1.24+)
	return key
}

// String returns the secret's text form, "whsec_<base64>".
func (s Secret) String() string { return secretPrefix + base64.StdEncoding.EncodeToString(s) }

// Sign returns the signature of one request under s, "v1,<base64>": the
// HMAC-SHA256 of "id.timestamp.body", timestamp in Unix seconds.
func (s Secret) Sign(id string, at time.Time, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(s.mac(id, at.Unix(), body))
}

func (s Secret) mac(id string, unix int64, body []byte) []byte {
	m := hmac.New(sha256.New, s)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write(strconv.AppendInt(nil, unix, 10))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// SignatureHeader returns the webhook-signature header under every
// secret, space-separated: during a rotation the sender signs with the old
// and the new secret, and a receiver that knows either accepts.
func SignatureHeader(secrets []Secret, id string, at time.Time, body []byte) string {
	sigs := make([]string, len(secrets))
	for i, s := range secrets {
		sigs[i] = s.Sign(id, at, body)
	}
	return strings.Join(sigs, " ")
}

// DefaultTolerance is how far a request's timestamp may be from the
// receiver's clock: older requests are refused as replays.
const DefaultTolerance = 5 * time.Minute

// Verify checks a received request's headers and body against secrets
// (any may match): the id and timestamp present, the timestamp within
// tolerance of now (DefaultTolerance when zero), and one v1 signature
// equal, compared in constant time. It returns the webhook-id, the key to
// deduplicate on, or an error wrapping ErrSignature.
func Verify(secrets []Secret, h http.Header, body []byte, now time.Time, tolerance time.Duration) (string, error) {
	id, ts, sig := h.Get(HeaderID), h.Get(HeaderTimestamp), h.Get(HeaderSignature)
	if id == "" || ts == "" || sig == "" {
		return "", fmt.Errorf("%w: missing header", ErrSignature)
	}
	unix, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "", fmt.Errorf("%w: timestamp is not a number", ErrSignature)
	}
	tolerance = cmpOr(tolerance, DefaultTolerance)
	if d := now.Sub(time.Unix(unix, 0)); d > tolerance || d < -tolerance {
		return "", fmt.Errorf("%w: timestamp outside the tolerance", ErrSignature)
	}
	for _, field := range strings.Fields(sig) {
		version, b64, ok := strings.Cut(field, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			continue
		}
		for _, s := range secrets {
			if hmac.Equal(got, s.mac(id, unix, body)) {
				return id, nil
			}
		}
	}
	return "", fmt.Errorf("%w: no signature matches", ErrSignature)
}
