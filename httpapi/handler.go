package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/kycsdk/kyc"
)

// Authenticator names the operator of a request: the embedding service
// checks a credential (an API key, a JWT) and returns the tenant, the user
// and the scopes the Service's policy reads. An error answers 401 and the
// request goes no further; the error's text is not shown to the client.
type Authenticator func(*http.Request) (kyc.Operator, error)

// Options tune a Handler. The zero value of every field is a documented
// default.
type Options struct {
	// MaxBodyBytes bounds a request body; default 1 MiB (a profile is at
	// most 1 MiB encoded, see profile.MaxInputSize).
	MaxBodyBytes int64
	// MaxDepth bounds the nesting of a JSON body; default 32, deeper than
	// any profile and shallower than any decoder's own bound.
	MaxDepth int
	// Timeout bounds the work of one request once its headers are read
	// (the context of every Service call); default 30 seconds. The server
	// bounds reading headers and bodies (http.Server's timeouts).
	Timeout time.Duration
	// MaxInFlight bounds the requests served at once; one more waits up to
	// QueueWait for a place, then gets 503 with Retry-After. Default 256.
	MaxInFlight int
	// QueueWait is how long a request waits for a place; default 1 second.
	QueueWait time.Duration
	// IdempotencyKeys bounds the remembered Idempotency-Key answers per
	// tenant (the oldest is forgotten first); default 1024. IdempotencyTenants
	// bounds the tenants remembered; default 1024. IdempotencyTTL is how long
	// an answer is replayed; default 24 hours.
	IdempotencyKeys    int
	IdempotencyTenants int
	IdempotencyTTL     time.Duration
	// AccessLog, when set, receives one line per request: method, route
	// pattern (never the path, which holds ids), status, duration, tenant.
	AccessLog *slog.Logger
	// Clock gives the time for durations and idempotency expiry; default
	// time.Now.
	Clock func() time.Time
}

func (o Options) withDefaults() Options {
	o.MaxBodyBytes = positive(o.MaxBodyBytes, 1<<20)
	o.MaxDepth = positive(o.MaxDepth, 32)
	o.Timeout = positive(o.Timeout, 30*time.Second)
	o.MaxInFlight = positive(o.MaxInFlight, 256)
	o.QueueWait = positive(o.QueueWait, time.Second)
	o.IdempotencyKeys = positive(o.IdempotencyKeys, 1024)
	o.IdempotencyTenants = positive(o.IdempotencyTenants, 1024)
	o.IdempotencyTTL = positive(o.IdempotencyTTL, 24*time.Hour)
	if o.Clock == nil {
		o.Clock = time.Now
	}
	return o
}

// positive returns v, or def when v is zero or negative.
func positive[T int | int64 | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// Handler serves the HTTP API of a kyc.Service. It is safe for concurrent
// use and holds no state of its own besides the bounded Idempotency-Key
// answers; every profile lives in the Service's store.
type Handler struct {
	svc   *kyc.Service
	auth  Authenticator
	opts  Options
	mux   *http.ServeMux
	slots chan struct{}
	idem  *idempotency
}

// New returns the Handler of svc, authenticating every request with auth.
// Its routes are relative to its root: mount it under a prefix with
// http.StripPrefix.
func New(svc *kyc.Service, auth Authenticator, opts Options) (*Handler, error) {
	if svc == nil || auth == nil {
		return nil, errors.New("httpapi: New needs a Service and an Authenticator")
	}
	opts = opts.withDefaults()
	h := &Handler{
		svc:   svc,
		auth:  auth,
		opts:  opts,
		mux:   http.NewServeMux(),
		slots: make(chan struct{}, opts.MaxInFlight),
		idem:  newIdempotency(opts.IdempotencyTenants, opts.IdempotencyKeys, opts.IdempotencyTTL, opts.Clock),
	}
	h.mux.HandleFunc("GET /openapi.json", serveDocument)
	allow := map[string][]string{"/openapi.json": {http.MethodGet, http.MethodHead}}
	for _, rt := range routes() {
		h.mux.Handle(rt.method+" "+rt.path, h.wrap(rt))
		allow[rt.path] = append(allow[rt.path], rt.method)
		if rt.method == http.MethodGet {
			allow[rt.path] = append(allow[rt.path], http.MethodHead)
		}
	}
	h.mux.Handle("/", notAllowed(allow))
	return h, nil
}

// notAllowed answers what no route takes: 405 with Allow for a known path
// and another method, 404 otherwise, both as problems (ServeMux's own
// answers are plain text).
func notAllowed(allow map[string][]string) http.Handler {
	paths := http.NewServeMux()
	for path, methods := range allow {
		list := strings.Join(methods, ", ")
		paths.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", list)
			writeProblem(w, problem(http.StatusMethodNotAllowed, KindMethod, "the resource does not take this method"))
		})
	}
	paths.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, problem(http.StatusNotFound, KindNotFound, "no such route"))
	})
	return paths
}

// ServeHTTP bounds the requests in flight, refuses paths with dot segments
// (rather than redirecting them, as ServeMux would), and routes.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.opts.Clock()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	defer func() { h.logAccess(r, rec, start) }()
	if !h.acquire(r.Context()) {
		rec.Header().Set("Retry-After", "1")
		writeProblem(rec, problem(http.StatusServiceUnavailable, KindBusy, "too many requests in flight"))
		return
	}
	defer func() { <-h.slots }()
	defer h.recoverPanic(r, rec)
	if dotSegment(r.URL.EscapedPath()) {
		writeProblem(rec, badRequest("the path has dot or empty segments"))
		return
	}
	// url.Values drops a pair it cannot parse (a semicolon, a bad percent
	// escape), so a filter such as state=active;x would vanish and the
	// answer would hold every profile: a query that does not parse whole
	// is refused.
	if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
		writeProblem(rec, badRequest("the query string is malformed"))
		return
	}
	h.mux.ServeHTTP(rec, r)
}

// recoverPanic answers a panic below with a 500 problem and logs its type
// only: net/http's own recovery would log the panic's value, which may hold
// anything. http.ErrAbortHandler keeps its meaning (abort the response).
func (h *Handler) recoverPanic(r *http.Request, rec *recorder) {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	if h.opts.AccessLog != nil {
		h.opts.AccessLog.LogAttrs(r.Context(), slog.LevelError, "http panic",
			slog.String("route", rec.route), slog.String("panic_type", fmt.Sprintf("%T", v)))
	}
	if !rec.wrote {
		writeProblem(rec, problem(http.StatusInternalServerError, KindInternal, ""))
	}
}

func (h *Handler) acquire(ctx context.Context) bool {
	select {
	case h.slots <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(h.opts.QueueWait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	return false
}

// dotSegment reports a path with ".", ".." or empty segments, escaped or
// not: ids never hold them and a cleaned path would address another
// resource.
func dotSegment(p string) bool {
	if p == "/" {
		return false
	}
	// Segment by segment with Cut: every request passes here, and a
	// slice of segments would be its allocation.
	rest, more := strings.TrimPrefix(p, "/"), true
	for more {
		var seg string
		seg, rest, more = strings.Cut(rest, "/")
		s := strings.ToLower(seg)
		s = strings.ReplaceAll(s, "%2e", ".")
		if s == "" || s == "." || s == ".." || strings.Contains(s, "%2f") || strings.Contains(s, "%5c") {
			return true
		}
	}
	return false
}

// call is one request on its way through a route.
type call struct {
	w  http.ResponseWriter
	r  *http.Request
	op kyc.Operator
	h  *Handler
	// expect is the version If-Match named, once precondition checked it:
	// the fact write is then made on that version only (writer).
	expect int
}

// writer returns the Service a fact write goes through: after
// precondition, one that refuses the write with storage.ErrConflict (412)
// unless the stored version is still the one If-Match named, checked in
// the same step as the write (kyc.Service.Expect). Checking If-Match
// first and then calling the operation would leave a window in which a
// write landing in between is built upon without the client having seen it.
func (c *call) writer() *kyc.Service {
	if c.expect > 0 {
		return c.h.svc.Expect(c.expect)
	}
	return c.h.svc
}

func (h *Handler) wrap(rt route) http.Handler {
	label := rt.method + " " + rt.path // the access log's route, built once
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rec, ok := w.(*recorder); ok {
			rec.route = label
		}
		op, err := h.auth(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="kyc"`)
			writeProblem(w, problem(http.StatusUnauthorized, KindAuthentication, "the request is not authenticated"))
			return
		}
		if rec, ok := w.(*recorder); ok {
			rec.tenant = op.Tenant
		}
		ctx, cancel := context.WithTimeout(r.Context(), h.opts.Timeout)
		defer cancel()
		c := &call{w: w, r: r.WithContext(ctx), op: op, h: h}
		for _, name := range rt.ids {
			if err := checkID(name, r.PathValue(name)); err != nil {
				writeProblem(w, problemOf(err))
				return
			}
		}
		// Every route's operations are authorized before anything is read,
		// so that a refusal is the same whatever the Service would check
		// first (a missing configuration, a malformed body).
		if err := h.svc.Authorize(ctx, op, rt.ops...); err != nil {
			writeProblem(w, problemOf(err))
			return
		}
		if rt.method == http.MethodPost && r.Header.Get("Idempotency-Key") != "" {
			h.idempotent(c, rt)
			return
		}
		if err := rt.serve(c); err != nil {
			h.fail(c, err)
		}
	})
}

// fail answers err as a problem. An internal error is logged by its Go type
// only: its text comes from below and is not known to be free of personal
// data.
func (h *Handler) fail(c *call, err error) {
	p := problemOf(err)
	if p.Status >= 500 && h.opts.AccessLog != nil {
		h.opts.AccessLog.LogAttrs(c.r.Context(), slog.LevelError, "http error",
			slog.String("route", c.r.Pattern), slog.String("error_type", fmt.Sprintf("%T", err)), slog.String("tenant", c.op.Tenant))
	}
	writeProblem(c.w, p)
}

func (h *Handler) logAccess(r *http.Request, rec *recorder, start time.Time) {
	if h.opts.AccessLog == nil {
		return
	}
	h.opts.AccessLog.LogAttrs(r.Context(), slog.LevelInfo, "http request",
		slog.String("method", r.Method),
		slog.String("route", rec.route),
		slog.Int("status", rec.status),
		slog.Duration("duration", h.opts.Clock().Sub(start)),
		slog.String("tenant", rec.tenant),
		slog.Int64("bytes", rec.bytes),
	)
}

// recorder keeps what the access log says of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	route  string
	tenant string
	wrote  bool
}

func (r *recorder) WriteHeader(status int) {
	if !r.wrote {
		r.status, r.wrote = status, true
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
