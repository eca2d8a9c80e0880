package testsource

import (
	"context"
	"sync"
	"time"
)

// Countdown is a context whose Done channel closes at the n-th call of
// Done or Err: a cancellation that lands at every point where the code
// under test looks at its context. The storage conformance suite and the
// fault tests step n from 1 until a call finishes first.
type Countdown struct {
	mu     sync.Mutex
	left   int64
	done   chan struct{}
	closed bool
}

var _ context.Context = (*Countdown)(nil)

// NewCountdown returns a context cancelled at the n-th look.
func NewCountdown(n int64) *Countdown { return &Countdown{left: n, done: make(chan struct{})} }

func (c *Countdown) tick() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.left--
		if c.left <= 0 {
			c.closed = true
			close(c.done)
		}
	}
	return c.closed
}

// Fired reports whether the cancellation has happened.
func (c *Countdown) Fired() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// Deadline implements context.Context: there is none.
func (c *Countdown) Deadline() (time.Time, bool) { return time.Time{}, false }

// Done implements context.Context; each call counts as a look.
func (c *Countdown) Done() <-chan struct{} { c.tick(); return c.done }

// Value implements context.Context: there are no values.
func (c *Countdown) Value(any) any { return nil }

// Err implements context.Context; each call counts as a look.
func (c *Countdown) Err() error {
	if c.tick() {
		return context.Canceled
	}
	return nil
}
