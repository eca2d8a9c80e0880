package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-json-experiment/json"
)

// server is a kycd process started by a test.
type server struct {
	cmd  *exec.Cmd
	url  string
	logs *strings.Builder
	done chan struct{}
}

// start runs the built binary on a free port and waits for it to listen.
func start(t *testing.T, bin string, args ...string) *server {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, logs: &strings.Builder{}, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			s.logs.WriteString(line + "\n")
			var l struct {
				Msg  string `json:"msg"`
				Addr string `json:"addr"`
			}
			if json.Unmarshal([]byte(line), &l) == nil && l.Msg == "kycd listening" {
				addr <- l.Addr
			}
		}
	}()
	select {
	case a := <-addr:
		s.url = "http://" + a
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("kycd did not start listening")
	}
	return s
}

// stop sends SIGTERM and waits for a clean exit.
func (s *server) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-s.done
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("kycd exited with %v:\n%s", err, s.logs)
	}
	if !strings.Contains(s.logs.String(), "kycd shutting down") {
		t.Fatalf("no graceful shutdown in the log:\n%s", s.logs)
	}
}

func (s *server) call(t *testing.T, method, path, key, body string, header map[string]string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// TestServerRestart builds kycd, drives a create, transition and comment
// flow on a SQLite file, stops it with SIGTERM, starts it again on the same
// file and reads everything back.
func TestServerRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the command")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "kycd")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const key = "test-key-operator"
	hashCmd := exec.Command(bin, "hash-key")
	hashCmd.Stdin = strings.NewReader(key + "\n")
	out, err := hashCmd.Output()
	if err != nil {
		t.Fatalf("hash-key: %v", err)
	}
	sum := sha256.Sum256([]byte(key))
	if got := strings.TrimSpace(string(out)); got != hex.EncodeToString(sum[:]) {
		t.Fatalf("hash-key printed %q", got)
	}
	keys := `{"keys":[{"sha256":"` + strings.TrimSpace(string(out)) + `","tenant":"acme","user":"maria","scopes":["tenant_aml_operator"]}]}`
	keyFile := filepath.Join(dir, "keys.json")
	if err := os.WriteFile(keyFile, []byte(keys), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-sqlite", filepath.Join(dir, "kyc.db"), "-keys", keyFile}

	s := start(t, bin, args...)
	if st, _, _ := s.call(t, "GET", "/healthz", "", "", nil); st != 200 {
		t.Fatalf("healthz: %d", st)
	}
	if st, _, _ := s.call(t, "GET", "/readyz", "", "", nil); st != 200 {
		t.Fatalf("readyz: %d", st)
	}
	if st, _, _ := s.call(t, "GET", "/profiles", "wrong-key", "", nil); st != 401 {
		t.Fatalf("a wrong key: %d, want 401", st)
	}
	st, h, body := s.call(t, "POST", "/profiles", key, `{"person_type":"natural_person","natural_person":{"name":{"first":"John","last":"Doe"}}}`, nil)
	if st != 201 {
		t.Fatalf("create: %d %s", st, body)
	}
	var p struct {
		ID      string `json:"id"`
		State   string `json:"state"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatal(err)
	}
	if st, _, body = s.call(t, "POST", "/profiles/"+p.ID+"/transitions", key, `{"to":"pending"}`, map[string]string{"If-Match": h.Get("ETag")}); st != 200 {
		t.Fatalf("transition: %d %s", st, body)
	}
	if st, _, body = s.call(t, "POST", "/profiles/"+p.ID+"/comments", key, `{"body":"<p>documents requested</p>"}`, nil); st != 201 {
		t.Fatalf("comment: %d %s", st, body)
	}
	s.stop(t)
	if strings.Contains(s.logs.String(), "John") || strings.Contains(s.logs.String(), "Doe") {
		t.Fatalf("personal data in the log:\n%s", s.logs)
	}
	if !strings.Contains(s.logs.String(), `"route":"POST /profiles/{id}/transitions"`) {
		t.Fatalf("no access log line with the route pattern:\n%s", s.logs)
	}

	s = start(t, bin, args...)
	defer s.stop(t)
	st, h, body = s.call(t, "GET", "/profiles/"+p.ID, key, "", nil)
	if err := json.Unmarshal(body, &p); st != 200 || err != nil || p.State != "pending" || h.Get("ETag") != `"2"` {
		t.Fatalf("after restart: %d %s", st, body)
	}
	st, _, body = s.call(t, "GET", "/profiles/"+p.ID+"/comments", key, "", nil)
	if st != 200 || !strings.Contains(string(body), "documents requested") {
		t.Fatalf("comments after restart: %d %s", st, body)
	}
	st, _, body = s.call(t, "GET", "/profiles/"+p.ID+"/history", key, "", nil)
	if st != 200 || strings.Count(string(body), `"orig_id"`) != 2 {
		t.Fatalf("history after restart: %d %s", st, body)
	}
}
