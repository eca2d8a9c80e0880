package storagetest

import (
	"sync/atomic"
	"time"
)

// writer runs write(0), write(1), ... in its own goroutine until it is
// stopped, a write fails or limit writes are done. A reader paging
// through a listing calls next between pages, so that each page is read
// after a concurrent write. The limit bounds how many profiles a walk can
// meet, and once the writer has ended next returns at once: a walk that
// outlasts the writer finishes without waiting for writes that will not
// come.
type writer struct {
	writes atomic.Int64
	stop   atomic.Bool
	ended  chan struct{}
	err    error
}

func startWriter(limit int, write func(i int) error) *writer {
	w := &writer{ended: make(chan struct{})}
	go func() {
		defer close(w.ended)
		for i := 0; i < limit && !w.stop.Load(); i++ {
			if err := write(i); err != nil {
				w.err = err
				return
			}
			w.writes.Add(1)
		}
	}()
	return w
}

// next waits until the writer has written again or has ended.
func (w *writer) next() {
	seen := w.writes.Load()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for w.writes.Load() == seen {
		select {
		case <-w.ended:
			return
		case <-tick.C:
		}
	}
}

// finish stops the writer, waits for it to end and returns how many
// writes it made and its error.
func (w *writer) finish() (int64, error) {
	w.stop.Store(true)
	<-w.ended
	return w.writes.Load(), w.err
}
