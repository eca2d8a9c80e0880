package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/kycsdk/kyc/webhook"
)

// readSecrets reads the webhook signing secrets, one "whsec_<base64>" a
// line (two during a rotation: the new one and the old one; blank lines
// and lines starting with # are skipped). The error names the file and the
// line, never the secret.
func readSecrets(path string) ([]webhook.Secret, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("kycd: webhook secret file: %w", err)
	}
	var secrets []webhook.Secret
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		s, err := webhook.ParseSecret(line)
		if err != nil {
			return nil, fmt.Errorf("kycd: %s line %d: %w", path, i+1, err)
		}
		secrets = append(secrets, s)
	}
	if len(secrets) == 0 {
		return nil, fmt.Errorf("kycd: %s holds no secret", path)
	}
	return secrets, nil
}

// startRelay runs a webhook.Relay of the feeds of tenants to url in a
// goroutine of its own and returns the function that stops it and waits
// for it (which the shutdown calls before the store closes). The relay
// posts events alone (ids, kinds, paths: no personal value), signed with
// the secrets, and keeps its position in the store as the consumer
// "kycd-webhook", so that a restart continues where it stopped and two
// instances on one database take turns through the store's leases.
func startRelay(store webhook.Store, url, secretFile string, tenants []string, log *slog.Logger) (stop func(), err error) {
	if url == "" {
		if secretFile != "" {
			return nil, errors.New("kycd: -webhook-secret-file without -webhook")
		}
		return func() {}, nil
	}
	if secretFile == "" {
		return nil, errors.New("kycd: -webhook needs -webhook-secret-file: every delivery is signed")
	}
	secrets, err := readSecrets(secretFile)
	if err != nil {
		return nil, err
	}
	relay, err := webhook.NewRelay(store, &webhook.HTTPSink{URL: url, Secrets: secrets}, webhook.Options{
		Tenants:  tenants,
		Consumer: "kycd-webhook",
		Logger:   log,
	})
	if err != nil {
		return nil, fmt.Errorf("kycd: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		relay.Run(ctx) // returns ctx's error once stopped; failures are logged by the relay
	}()
	log.Info("kycd relays the change feed", "tenants", len(tenants))
	return func() { cancel(); <-done }, nil
}
