package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kycsdk/kyc/internal/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestRunPostgres serves on PostgreSQL in-process: the server is ready,
// stores and reads a profile, and stops cleanly when its context ends.
func TestRunPostgres(t *testing.T) {
	dir := t.TempDir()
	const key = "pg-key"
	sum := sha256.Sum256([]byte(key))
	keyFile := filepath.Join(dir, "keys.json")
	keys := `{"keys":[{"sha256":"` + hex.EncodeToString(sum[:]) + `","tenant":"acme","user":"sam","scopes":["tenant_backoffice_supervisor"]}]}`
	if err := os.WriteFile(keyFile, []byte(keys), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config{addr: "127.0.0.1:0", postgres: pgtest.DSN(t), keys: keyFile, riskLevels: "low,medium,high,severe"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var logs strings.Builder
	log := slog.New(slog.NewJSONHandler(&lockedWriter{w: &logs}, nil))
	go func() { done <- run(ctx, cfg, log, ready) }()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not start")
	}
	get := func(path string) int {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := get("/readyz"); st != 200 {
		t.Fatalf("readyz: %d", st)
	}
	req, _ := http.NewRequest("POST", "http://"+addr+"/clients", strings.NewReader(`{"data":{"client":{"identity":{"type":"corporate","legalName":"I.F Technology Ltd","country":"GB"},"risk":"severe"}}}`))
	req.Header.Set("X-API-Key", key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 201 || !strings.Contains(string(body), `"risk":"severe"`) {
		t.Fatalf("POST /clients on PostgreSQL: %d %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop")
	}
}
