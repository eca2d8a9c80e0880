package httpapi

import (
	"bytes"
	"cmp"
	"container/list"
	"crypto/sha256"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"
)

// idempotency remembers the answers of POST requests sent with an
// Idempotency-Key, so that a client retrying a create after a lost answer
// gets the first answer again instead of a second profile. Keys are per
// tenant; each tenant keeps at most perTenant answers and at most
// maxTenants tenants are kept, the least recently used forgotten first, each
// answer for ttl. The answers live in the Handler's memory: a deployment of
// several instances routes a tenant's retries to one instance, or accepts
// that a retry reaching another instance runs again.
type idempotency struct {
	mu         sync.Mutex
	tenants    map[string]*list.Element // of *tenantKeys
	order      *list.List               // tenants, most recently used first
	maxTenants int
	perTenant  int
	ttl        time.Duration
	now        func() time.Time
}

type tenantKeys struct {
	tenant string
	keys   map[string]*list.Element // of *answer
	order  *list.List               // answers, newest first
}

// answer is one remembered response, or one still being computed (done
// open).
type answer struct {
	key         string
	fingerprint [sha256.Size]byte
	done        chan struct{}
	at          time.Time
	status      int
	header      http.Header
	body        []byte
}

func newIdempotency(maxTenants, perTenant int, ttl time.Duration, now func() time.Time) *idempotency {
	return &idempotency{
		tenants: map[string]*list.Element{}, order: list.New(),
		maxTenants: maxTenants, perTenant: perTenant, ttl: ttl, now: now,
	}
}

// begin returns the remembered answer of key (nil when there is none, and
// then a new one is reserved and must be finished with finish).
func (m *idempotency) begin(tenant, key string, fp [sha256.Size]byte) (*answer, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t := m.tenant(tenant)
	if e, ok := t.keys[key]; ok {
		a := e.Value.(*answer)
		if m.now().Sub(a.at) < m.ttl {
			return a, true
		}
		t.order.Remove(e)
		delete(t.keys, key)
	}
	a := &answer{key: key, fingerprint: fp, done: make(chan struct{}), at: m.now()}
	t.keys[key] = t.order.PushFront(a)
	for t.order.Len() > m.perTenant {
		old := t.order.Back()
		t.order.Remove(old)
		delete(t.keys, old.Value.(*answer).key)
	}
	return a, false
}

func (m *idempotency) tenant(name string) *tenantKeys {
	if e, ok := m.tenants[name]; ok {
		m.order.MoveToFront(e)
		return e.Value.(*tenantKeys)
	}
	t := &tenantKeys{tenant: name, keys: map[string]*list.Element{}, order: list.New()}
	m.tenants[name] = m.order.PushFront(t)
	for m.order.Len() > m.maxTenants {
		old := m.order.Back()
		m.order.Remove(old)
		delete(m.tenants, old.Value.(*tenantKeys).tenant)
	}
	return t
}

// finish records a's response, or forgets a when the response is not one to
// replay (a failure, which a retry should run again).
func (m *idempotency) finish(tenant string, a *answer, keep bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	defer close(a.done)
	if keep {
		return
	}
	e, ok := m.tenants[tenant]
	if !ok {
		return
	}
	t := e.Value.(*tenantKeys)
	if ke, ok := t.keys[a.key]; ok && ke.Value == a {
		t.order.Remove(ke)
		delete(t.keys, a.key)
	}
}

// validKey accepts 1 to 255 visible ASCII characters.
func validKey(k string) bool {
	return len(k) > 0 && len(k) <= maxIdempotencyKey && !strings.ContainsFunc(k, func(r rune) bool { return r < 0x21 || r > 0x7e })
}

// idempotent serves a POST with an Idempotency-Key: the first request runs
// and its successful answer is remembered; a retry with the same request
// gets that answer (with Idempotent-Replayed: true), a retry while the first
// runs gets 409, and the same key with another request gets 422.
func (h *Handler) idempotent(c *call, rt route) {
	key := c.r.Header.Get("Idempotency-Key")
	if !validKey(key) {
		writeProblem(c.w, invalidField("Idempotency-Key", "invalid", "1 to 255 visible ASCII characters"))
		return
	}
	body, err := h.readLimited(c.w, c.r)
	if err != nil {
		writeProblem(c.w, err)
		return
	}
	fp := fingerprint(c, body)
	a, found := h.idem.begin(c.op.Tenant, key, fp)
	if found {
		h.replay(c, a, fp)
		return
	}
	c.r.Body = io.NopCloser(bytes.NewReader(body))
	buf := &buffered{header: http.Header{}}
	real := c.w
	c.w = buf
	if err := rt.serve(c); err != nil {
		h.fail(c, err)
	}
	keep := buf.status >= 200 && buf.status < 300
	if keep {
		a.status, a.header, a.body = buf.status, buf.header.Clone(), bytes.Clone(buf.body.Bytes())
	}
	h.idem.finish(c.op.Tenant, a, keep)
	buf.copyTo(real)
}

// fingerprint identifies a request: its user, method, path and body, so that
// a key reused by another user or for another request is not replayed.
func fingerprint(c *call, body []byte) [sha256.Size]byte {
	s := sha256.New()
	for _, part := range []string{c.op.User, c.r.Method, c.r.URL.EscapedPath(), c.r.Header.Get("Content-Type")} {
		s.Write([]byte(part))
		s.Write([]byte{0})
	}
	s.Write(body)
	return [sha256.Size]byte(s.Sum(nil))
}

func (h *Handler) replay(c *call, a *answer, fp [sha256.Size]byte) {
	if a.fingerprint != fp {
		writeProblem(c.w, problem(http.StatusUnprocessableEntity, KindIdempotency, "the Idempotency-Key was used for another request"))
		return
	}
	select {
	case <-a.done:
	default:
		writeProblem(c.w, problem(http.StatusConflict, KindIdempotency, "a request with this Idempotency-Key is still being served"))
		return
	}
	if a.status == 0 { // the first request failed and was forgotten meanwhile
		writeProblem(c.w, problem(http.StatusConflict, KindIdempotency, "a request with this Idempotency-Key has just failed; retry"))
		return
	}
	maps.Copy(c.w.Header(), a.header)
	c.w.Header().Set("Idempotent-Replayed", "true")
	c.w.WriteHeader(a.status)
	c.w.Write(a.body)
}

// buffered holds a response until it is remembered.
type buffered struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *buffered) Header() http.Header { return b.header }

func (b *buffered) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

func (b *buffered) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *buffered) copyTo(w http.ResponseWriter) {
	maps.Copy(w.Header(), b.header)
	w.WriteHeader(cmp.Or(b.status, http.StatusOK))
	w.Write(b.body.Bytes())
}
