package testsource

import (
	"fmt"
	"sync"
	"time"
)

// Clock advances by a fixed step on every call to Now, so that every
// timestamp it gives differs from the last.
type Clock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

// NewClock returns a clock whose first Now is start+step.
func NewClock(start time.Time, step time.Duration) *Clock {
	return &Clock{now: start, step: step}
}

// Now advances the clock by its step and returns the new time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(c.step)
	return c.now
}

// Sequence returns an id source giving prefix-000001, prefix-000002, ...
func Sequence(prefix string) func() string {
	var mu sync.Mutex
	n := 0
	return func() string {
		mu.Lock()
		defer mu.Unlock()
		n++
		return fmt.Sprintf("%s-%06d", prefix, n)
	}
}
