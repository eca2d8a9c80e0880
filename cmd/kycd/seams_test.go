package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-json-experiment/json"

	"github.com/kycsdk/kyc/webhook"
)

// buildKycd builds the command once per test into dir.
func buildKycd(t *testing.T, dir string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	bin := filepath.Join(dir, "kycd")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// writeKeys writes a key file giving each key (its own text) the tenant
// and the supervisor scope, and returns its path.
func writeKeys(t *testing.T, dir string, tenantOf map[string]string) string {
	t.Helper()
	var entries []string
	for key, tenant := range tenantOf {
		sum := sha256.Sum256([]byte(key))
		entries = append(entries, `{"sha256":"`+hex.EncodeToString(sum[:])+`","tenant":"`+tenant+`","user":"u-`+tenant+`","scopes":["tenant_backoffice_supervisor"]}`)
	}
	path := filepath.Join(dir, "keys.json")
	if err := os.WriteFile(path, []byte(`{"keys":[`+strings.Join(entries, ",")+`]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

const johnDoeBody = `{"person_type":"natural_person","natural_person":{"name":{"first":"John","last":"Doe"}}}`

// TestServerTenants: kycd -tenants DIR applies each tenant's file (its
// configuration version is in the history it writes); a tenant of the key
// file without a file is refused under -unknown-tenants refuse; a bad file
// stops the start with its path and every problem.
func TestServerTenants(t *testing.T) {
	dir := t.TempDir()
	bin := buildKycd(t, dir)
	keys := writeKeys(t, dir, map[string]string{"key-acme": "acme", "key-other": "other"})
	tenants := filepath.Join(dir, "tenants")
	writeFile(t, filepath.Join(tenants, "acme.json"), `{"version": "acme-7", "workflow": "default", "reverification": "refuse"}`)
	args := []string{"-sqlite", filepath.Join(dir, "kyc.db"), "-keys", keys, "-tenants", tenants, "-unknown-tenants", "refuse"}

	s := start(t, bin, args...)
	st, _, body := s.call(t, "POST", "/profiles", "key-acme", johnDoeBody, nil)
	if st != 201 {
		t.Fatalf("acme create: %d %s", st, body)
	}
	var p struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	st, _, body = s.call(t, "GET", "/profiles/"+p.ID+"/history", "key-acme", "", nil)
	if st != 200 || !strings.Contains(string(body), `"config":"acme-7"`) {
		t.Fatalf("acme history: %d %s", st, body)
	}
	st, _, body = s.call(t, "POST", "/profiles", "key-other", johnDoeBody, nil)
	if st != 403 || !strings.Contains(string(body), "no configuration") {
		t.Fatalf("a tenant without a file under refuse: %d %s", st, body)
	}
	s.stop(t)

	// A bad file: the server does not start, and says which file and
	// what is wrong in it.
	writeFile(t, filepath.Join(tenants, "beta.json"), `{"version": "b", "workflow": "nonsense", "risk_levels": 5}`)
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("kycd started with a bad tenant file:\n%s", out)
	}
	for _, want := range []string{"beta.json", "workflow", "risk_levels"} {
		if !strings.Contains(string(out), want) {
			t.Fatalf("the refusal does not name %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "kycd listening") {
		t.Fatalf("kycd listened before refusing:\n%s", out)
	}
	if err := os.Remove(filepath.Join(tenants, "beta.json")); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, append(args, "-unknown-tenants", "maybe")...)...)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "unknown-tenants") {
		t.Fatalf("a bad -unknown-tenants: %v\n%s", err, out)
	}
}

// TestServerWebhook: kycd -webhook relays every change of the key file's
// tenants to the URL, signed with the secret of -webhook-secret-file, with
// ids and paths only; SIGTERM stops the relay with the server.
func TestServerWebhook(t *testing.T) {
	dir := t.TempDir()
	bin := buildKycd(t, dir)
	keys := writeKeys(t, dir, map[string]string{"key-acme": "acme"})
	secret := webhook.NewSecret()
	secretFile := filepath.Join(dir, "whsec.txt")
	writeFile(t, secretFile, "# the signing secret\n"+secret.String()+"\n")

	var mu sync.Mutex
	var got []webhook.Payload
	var bodies []string
	sink := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if _, err := webhook.Verify([]webhook.Secret{secret}, r.Header, body, time.Now(), time.Minute); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var p webhook.Payload
		if err := json.Unmarshal(body, &p); err != nil {
			http.Error(w, "bad payload", http.StatusBadRequest)
			return
		}
		mu.Lock()
		got, bodies = append(got, p), append(bodies, string(body))
		mu.Unlock()
	}))
	defer sink.Close()

	s := start(t, bin, "-sqlite", filepath.Join(dir, "kyc.db"), "-keys", keys, "-webhook", sink.URL, "-webhook-secret-file", secretFile)
	st, h, body := s.call(t, "POST", "/profiles", "key-acme", johnDoeBody, nil)
	if st != 201 {
		t.Fatalf("create: %d %s", st, body)
	}
	var p struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if st, _, body = s.call(t, "POST", "/profiles/"+p.ID+"/transitions", "key-acme", `{"to":"pending"}`, map[string]string{"If-Match": h.Get("ETag")}); st != 200 {
		t.Fatalf("transition: %d %s", st, body)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d deliveries after 20s:\n%s", n, s.logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.stop(t)
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || got[0].Data.ProfileID != p.ID || got[1].Data.ProfileID != p.ID {
		t.Fatalf("deliveries %+v", got)
	}
	for _, b := range bodies {
		if strings.Contains(b, "John") || strings.Contains(b, "Doe") {
			t.Fatalf("a delivery carries a personal value: %s", b)
		}
	}
	if !strings.Contains(s.logs.String(), "kycd stopped") {
		t.Fatalf("no clean stop:\n%s", s.logs)
	}
}
