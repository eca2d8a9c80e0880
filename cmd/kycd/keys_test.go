package main

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLoadKeys(t *testing.T) {
	sum := sha256.Sum256([]byte("k1"))
	good := hex.EncodeToString(sum[:])
	bad := []struct{ name, file string }{
		{"not JSON", `{"keys":[`},
		{"unknown member", `{"keys":[{"sha256":"` + good + `","tenant":"a","user":"u","secret":"k1"}]}`},
		{"not a hash", `{"keys":[{"sha256":"k1","tenant":"a","user":"u"}]}`},
		{"no tenant", `{"keys":[{"sha256":"` + good + `","user":"u"}]}`},
	}
	dir := t.TempDir()
	for _, c := range bad {
		path := filepath.Join(dir, "keys.json")
		if err := os.WriteFile(path, []byte(c.file), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, _, err := loadKeys(path); err == nil {
			t.Errorf("%s: loaded", c.name)
		} else if strings.Contains(err.Error(), "k1") && c.name != "not a hash" {
			t.Errorf("%s: the error shows the file's content: %v", c.name, err)
		}
	}
	path := filepath.Join(dir, "keys.json")
	if err := os.WriteFile(path, []byte(`{"keys":[{"sha256":"`+good+`","tenant":"acme","user":"app","scopes":["tenant_watcher"]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	auth, tenants, err := loadKeys(path)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tenants, []string{"acme"}) {
		t.Fatalf("tenants %v", tenants)
	}
	for _, h := range []http.Header{{"Authorization": {"Bearer k1"}}, {"X-Api-Key": {"k1"}}} {
		op, err := auth(&http.Request{Header: h})
		if err != nil || op.Tenant != "acme" || op.User != "app" || !slices.Equal(op.Scopes, []string{"tenant_watcher"}) {
			t.Fatalf("%v: %+v %v", h, op, err)
		}
	}
	for _, h := range []http.Header{{}, {"Authorization": {"Bearer k2"}}, {"Authorization": {"Basic k1"}}} {
		if _, err := auth(&http.Request{Header: h}); err == nil {
			t.Fatalf("%v authenticated", h)
		}
	}
}
