package httpapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/go-json-experiment/json"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/storage/memory"
)

// Roles of the default policy, as the tests' bearer tokens name them.
var roles = map[string][]string{
	"watcher":    {kyc.ScopeWatcher},
	"operator":   {kyc.ScopeAMLOperator},
	"supervisor": {kyc.ScopeSupervisor},
	"none":       {},
}

// testAuth reads "Bearer tenant/user/role" (a role of roles). It is the
// tests' stand-in for an embedding service's authenticator.
func testAuth(r *http.Request) (kyc.Operator, error) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return kyc.Operator{}, errors.New("no bearer token")
	}
	parts := strings.Split(tok, "/")
	if len(parts) != 3 {
		return kyc.Operator{}, errors.New("malformed token")
	}
	scopes, ok := roles[parts[2]]
	if !ok {
		return kyc.Operator{}, errors.New("unknown role")
	}
	return kyc.Operator{Tenant: parts[0], User: parts[1], Scopes: scopes}, nil
}

// logBuffer collects the access log for the canary checks.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// env is a Service behind a real httptest.Server, with a client that
// validates every response against the OpenAPI document.
type env struct {
	t      *testing.T
	svc    *kyc.Service
	srv    *httptest.Server
	log    *logBuffer
	router routers.Router
	// problems collects every problem body, for the canary checks.
	mu       sync.Mutex
	problems []string
}

func newEnv(t *testing.T, opts Options, svcOpts kyc.Options) *env {
	t.Helper()
	return newEnvWith(t, opts, svcOpts, nil)
}

// newEnvWith is newEnv with the server's http.Server configured before it
// starts (timeouts).
func newEnvWith(t *testing.T, opts Options, svcOpts kyc.Options, configure func(*http.Server)) *env {
	t.Helper()
	return newEnvOn(t, memory.New(), opts, svcOpts, configure)
}

// newEnvOn is newEnvWith over a given store.
func newEnvOn(t *testing.T, store storage.Store, opts Options, svcOpts kyc.Options, configure func(*http.Server)) *env {
	t.Helper()
	svc, err := kyc.New(store, svcOpts)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, svc: svc, log: &logBuffer{}}
	opts.AccessLog = slog.New(slog.NewJSONHandler(e.log, nil))
	h, err := New(svc, testAuth, opts)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = httptest.NewUnstartedServer(h)
	if configure != nil {
		configure(e.srv.Config)
	}
	e.srv.Start()
	t.Cleanup(e.srv.Close)
	e.router = openAPIRouter(t)
	return e
}

var (
	docOnce   sync.Once
	docRouter routers.Router
	docErr    error
)

func openAPIRouter(t *testing.T) routers.Router {
	docOnce.Do(func() {
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(Document())
		if err != nil {
			docErr = err
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			docErr = err
			return
		}
		docRouter, docErr = legacy.NewRouter(doc)
	})
	if docErr != nil {
		t.Fatalf("OpenAPI document: %v", docErr)
	}
	return docRouter
}

// response is what a test reads of an answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) problem(t *testing.T) Problem {
	t.Helper()
	var p Problem
	if ct := r.header.Get("Content-Type"); ct != mediaProblem {
		t.Fatalf("Content-Type %q, want %q (status %d, body %s)", ct, mediaProblem, r.status, r.body)
	}
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatal(err)
	}
	if p.Status != r.status {
		t.Fatalf("problem status %d, response status %d", p.Status, r.status)
	}
	return p
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("%v in %s", err, r.body)
	}
}

// req describes one request.
type req struct {
	method, path, token string
	body                string
	contentType         string
	header              map[string]string
}

// do sends r, validates the answer against the OpenAPI document and
// returns it.
func (e *env) do(r req) response {
	e.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr, err := http.NewRequest(r.method, e.srv.URL+r.path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.body != "" {
		hr.Header.Set("Content-Type", cmpOr(r.contentType, mediaJSON))
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	resp, err := e.srv.Client().Do(hr)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	out := response{status: resp.StatusCode, header: resp.Header, body: b}
	if resp.Header.Get("Content-Type") == mediaProblem {
		e.mu.Lock()
		e.problems = append(e.problems, string(b))
		e.mu.Unlock()
	}
	e.validate(hr, out)
	return out
}

// validate checks an answer against the OpenAPI document: the route must
// be documented and the status, headers and body must match it.
func (e *env) validate(hr *http.Request, r response) {
	e.t.Helper()
	hr.URL.Host, hr.URL.Scheme = "", ""
	route, params, err := e.router.FindRoute(hr)
	if err != nil {
		if r.status == http.StatusNotFound || r.status == http.StatusBadRequest || r.status == http.StatusMethodNotAllowed {
			return // an undocumented path or method: the problem is checked by the test
		}
		e.t.Fatalf("%s %s: no documented route: %v", hr.Method, hr.URL.Path, err)
	}
	if err := validateAgainst(route, params, hr, r); err != nil {
		e.t.Fatalf("%s %s -> %d does not match the OpenAPI document: %v\n%s", hr.Method, hr.URL.Path, r.status, err, r.body)
	}
}

// validateAgainst checks one answer against its documented route.
func validateAgainst(route *routers.Route, params map[string]string, hr *http.Request, r response) error {
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: hr, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
		},
		Status:  r.status,
		Header:  r.header,
		Body:    io.NopCloser(bytes.NewReader(r.body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	return openapi3filter.ValidateResponse(context.Background(), in)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
