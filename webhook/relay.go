package webhook

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"slices"
	"time"

	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/storage"
)

// Store is what a Relay needs of a store: the feed and its consumers.
// Every store of this module (memory, sqlstore) is one.
type Store interface {
	Changes(ctx context.Context, tenant string, after int64, limit int) ([]storage.Event, error)
	storage.Consumers
}

// Options configure a Relay. Zero values take the defaults named.
type Options struct {
	// Tenants are the tenants whose feeds the relay delivers; required.
	Tenants []string
	// Consumer names the consumer whose position the relay keeps, one
	// per destination; default "webhook".
	Consumer string
	// Owner identifies this relay in the leases; default a random id.
	// Two relays running at once must have different owners.
	Owner string
	// Lease is how long a claimed (tenant, consumer) stays this relay's
	// without a renewal: the time another relay waits after this one
	// stops. Default 30s.
	Lease time.Duration
	// Batch is how many events a relay reads at a time; default 100.
	Batch int
	// MaxAttempts bounds the deliveries of one event before it is
	// dead-lettered; default 8.
	MaxAttempts int
	// MinBackoff and MaxBackoff bound the wait before a retry: MinBackoff
	// doubled at each attempt, at most MaxBackoff, half of it random
	// (jitter). Defaults 100ms and 30s.
	MinBackoff, MaxBackoff time.Duration
	// Poll is the wait of Run when a pass delivered nothing; default 1s.
	Poll time.Duration
	// Retention, when set, prunes from the store (once a minute, in Run)
	// the events older than this that every consumer has passed.
	Retention time.Duration
	// Logger, when set, receives the failures (kinds and ids, never a
	// body).
	Logger *slog.Logger
	// Clock is time.Now when nil.
	Clock func() time.Time
}

// Relay delivers the feed of its tenants to a Sink, at least once and in
// order per tenant; see the package documentation. One goroutine runs a
// Relay (Run, or RunOnce in a loop of its own); more relays, in this
// process or others, each have their own Owner.
type Relay struct {
	store     Store
	sink      Sink
	o         Options
	lastPrune time.Time
}

// NewRelay returns a relay of store's feed to sink.
func NewRelay(store Store, sink Sink, opts Options) (*Relay, error) {
	if store == nil || sink == nil {
		return nil, errors.New("webhook: a relay needs a store and a sink")
	}
	if len(opts.Tenants) == 0 {
		return nil, errors.New("webhook: a relay needs at least one tenant")
	}
	opts.Tenants = slices.Clone(opts.Tenants)
	opts.Consumer = cmp.Or(opts.Consumer, "webhook")
	if opts.Owner == "" {
		var b [8]byte
		rand.Read(b[:]) // never fails (crypto/rand, Go 1.24+)
		opts.Owner = "relay-" + hex.EncodeToString(b[:])
	}
	opts.Lease = cmpOr(opts.Lease, 30*time.Second)
	opts.Batch = min(cmpOr(opts.Batch, 100), storage.MaxChanges)
	opts.MaxAttempts = cmpOr(opts.MaxAttempts, 8)
	opts.MinBackoff = cmpOr(opts.MinBackoff, 100*time.Millisecond)
	opts.MaxBackoff = max(cmpOr(opts.MaxBackoff, 30*time.Second), opts.MinBackoff)
	opts.Poll = cmpOr(opts.Poll, time.Second)
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	return &Relay{store: store, sink: sink, o: opts}, nil
}

func cmpOr[T int | time.Duration](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

// Run delivers until ctx ends, then gives up its leases and returns
// ctx's error. A failure of the store is logged and retried after Poll.
func (r *Relay) Run(ctx context.Context) error {
	defer r.release()
	for {
		n, err := r.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			r.log(ctx, "relay pass failed", "", "", err.Error())
		}
		if r.o.Retention > 0 && r.o.Clock().Sub(r.lastPrune) >= time.Minute {
			r.lastPrune = r.o.Clock()
			for _, t := range r.o.Tenants {
				if _, err := r.store.PruneFeed(ctx, t, r.o.Clock().Add(-r.o.Retention)); err != nil && ctx.Err() == nil {
					r.log(ctx, "prune failed", t, "", err.Error())
				}
			}
		}
		if n == 0 || err != nil {
			if err := sleep(ctx, r.o.Poll); err != nil {
				return err
			}
		}
	}
}

// release gives up the relay's leases, so that another relay need not
// wait for them to expire.
func (r *Relay) release() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, t := range r.o.Tenants {
		if err := r.store.ReleaseConsumer(ctx, t, r.o.Consumer, r.o.Owner); err != nil {
			r.log(ctx, "release failed", t, "", err.Error())
		}
	}
}

// RunOnce makes one pass over the tenants: for each whose lease it gets,
// it delivers the events after the consumer's position until the feed is
// drained, and returns how many events it handled (delivered or
// dead-lettered). A tenant whose lease another relay holds is skipped.
func (r *Relay) RunOnce(ctx context.Context) (int, error) {
	total := 0
	for _, t := range r.o.Tenants {
		n, err := r.drain(ctx, t)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// drain delivers one tenant's feed from the consumer's position.
func (r *Relay) drain(ctx context.Context, tenant string) (int, error) {
	now := r.o.Clock()
	c, err := r.store.ClaimConsumer(ctx, tenant, r.o.Consumer, r.o.Owner, now, now.Add(r.o.Lease))
	if errors.Is(err, storage.ErrConflict) {
		return 0, nil // another relay's
	}
	if err != nil {
		return 0, err
	}
	cp := checkpoint{r: r, tenant: tenant, pos: c.Position}
	handled, err := r.deliverAll(ctx, tenant, &cp)
	if errors.Is(err, storage.ErrConflict) {
		// The lease expired and another relay claimed it: it delivers
		// from the last recorded position on.
		r.log(ctx, "lease lost", tenant, "", err.Error())
		return handled, nil
	}
	return handled, err
}

// deliverAll delivers the feed after cp until it is drained.
func (r *Relay) deliverAll(ctx context.Context, tenant string, cp *checkpoint) (int, error) {
	handled := 0
	for {
		evs, err := r.store.Changes(ctx, tenant, cp.pos, r.o.Batch)
		if err != nil || len(evs) == 0 {
			return handled, err
		}
		for _, ev := range evs {
			if err := r.deliver(ctx, tenant, ev, cp); err != nil {
				// The context ended or the lease was lost: what was
				// handled before is recorded; ev is delivered again
				// by whoever resumes.
				return handled, cmp.Or(cp.save(ctx), err)
			}
			handled++
		}
		if err := cp.save(ctx); err != nil {
			return handled, err
		}
	}
}

// checkpoint is a tenant's position as delivered so far, with the dead
// letters to record with it.
type checkpoint struct {
	r      *Relay
	tenant string
	pos    int64
	saved  int64
	dead   []storage.DeadLetter
}

// save records the position and dead letters and renews the lease.
func (c *checkpoint) save(ctx context.Context) error {
	if c.pos == c.saved && len(c.dead) == 0 && ctx.Err() != nil {
		return nil
	}
	// The record is worth making even when ctx ended: it saves a
	// redelivery. It gets a short time of its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	r := c.r
	err := r.store.AdvanceConsumer(ctx, c.tenant, r.o.Consumer, r.o.Owner, c.pos, r.o.Clock().Add(r.o.Lease), c.dead)
	if err == nil {
		c.saved, c.dead = c.pos, nil
	}
	return err
}

// deliver hands ev to the sink, retrying with backoff, and moves the
// checkpoint past it once delivered or dead-lettered. It fails only when
// ctx ends or the lease is lost.
func (r *Relay) deliver(ctx context.Context, tenant string, ev storage.Event, cp *checkpoint) error {
	var last error
	for attempt := 1; attempt <= r.o.MaxAttempts; attempt++ {
		last = r.sink.Deliver(ctx, tenant, ev)
		if last == nil {
			cp.pos = ev.Position
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		r.log(ctx, "delivery failed", tenant, ev.ID, reason(last))
		if attempt == r.o.MaxAttempts {
			break
		}
		// Renew the lease (and record what was delivered) before a wait
		// that may outlast it.
		if err := cp.save(ctx); err != nil {
			return err
		}
		if err := sleep(ctx, r.backoff(attempt)); err != nil {
			return err
		}
	}
	cp.dead = append(cp.dead, storage.DeadLetter{Event: ev, Attempts: r.o.MaxAttempts, Reason: reason(last), At: profile.TimestampOf(r.o.Clock())})
	cp.pos = ev.Position
	return nil
}

// backoff is the wait after the attempt-th failure: MinBackoff doubled,
// at most MaxBackoff, its second half random.
func (r *Relay) backoff(attempt int) time.Duration {
	d := r.o.MinBackoff << min(attempt-1, 30)
	if d > r.o.MaxBackoff || d <= 0 {
		d = r.o.MaxBackoff
	}
	return d/2 + mrand.N(d/2+1)
}

// DeadLetters returns up to limit of the tenant's dead letters for this
// relay's consumer after position after, by position; the next page
// starts after the last one's Event.Position.
func (r *Relay) DeadLetters(ctx context.Context, tenant string, after int64, limit int) ([]storage.DeadLetter, error) {
	return r.store.DeadLetters(ctx, tenant, r.o.Consumer, after, limit)
}

// Replay delivers one dead letter again, once, and removes it when the
// sink accepts it. It goes out of order by nature: the events after it
// were delivered meanwhile.
func (r *Relay) Replay(ctx context.Context, tenant, eventID string) error {
	d, err := r.deadLetter(ctx, tenant, eventID)
	if err != nil {
		return err
	}
	if err := r.sink.Deliver(ctx, tenant, d.Event); err != nil {
		return err
	}
	return r.store.RemoveDeadLetter(ctx, tenant, r.o.Consumer, eventID)
}

// deadLetter finds the dead letter of event eventID, page by page.
func (r *Relay) deadLetter(ctx context.Context, tenant, eventID string) (storage.DeadLetter, error) {
	var after int64
	for {
		dead, err := r.store.DeadLetters(ctx, tenant, r.o.Consumer, after, storage.MaxChanges)
		if err != nil {
			return storage.DeadLetter{}, err
		}
		if i := slices.IndexFunc(dead, func(d storage.DeadLetter) bool { return d.Event.ID == eventID }); i >= 0 {
			return dead[i], nil
		}
		if len(dead) < storage.MaxChanges {
			return storage.DeadLetter{}, fmt.Errorf("webhook: replay: dead letter %q: %w", eventID, storage.ErrNotFound)
		}
		after = dead[len(dead)-1].Event.Position
	}
}

// reason words a delivery failure for a dead letter: a status, a timeout,
// or the kind of failure, never a body or an address.
func reason(err error) string {
	var se *StatusError
	var ne net.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &se):
		return se.Error()
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.Is(err, ErrDelivery):
		return "transport error"
	case errors.Is(err, ErrProfile):
		return "profile unavailable"
	}
	return "sink error"
}

// log reports a failure; why is a storage error (which names ids only) or
// a sink failure as reason words it.
func (r *Relay) log(ctx context.Context, msg, tenant, eventID, why string) {
	if r.o.Logger == nil {
		return
	}
	r.o.Logger.LogAttrs(ctx, slog.LevelWarn, msg, slog.String("tenant", tenant), slog.String("consumer", r.o.Consumer),
		slog.String("event_id", eventID), slog.String("reason", why))
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
