package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progress reports how far an import or export has gone, on stderr: a bar
// redrawn in place on a terminal, else a plain line every few seconds (a
// log file or a CI console gets lines, not carriage returns).
type progress struct {
	w        io.Writer
	terminal bool
	total    int64 // input bytes, 0 when unknown (standard input)
	verb     string
	start    time.Time
	last     time.Time
	drawn    bool
}

func newProgress(w io.Writer, terminal bool, total int64, verb string) *progress {
	now := time.Now()
	return &progress{w: w, terminal: terminal, total: total, verb: verb, start: now, last: now}
}

// every is how often progress is written: often enough to look alive on a
// terminal, rarely enough not to flood a log.
func (p *progress) every() time.Duration {
	if p.terminal {
		return 200 * time.Millisecond
	}
	return 5 * time.Second
}

// update reports n records done and the input read up to offset.
func (p *progress) update(n, offset int64) {
	now := time.Now()
	if now.Sub(p.last) < p.every() {
		return
	}
	p.last = now
	p.write(n, offset)
}

func (p *progress) write(n, offset int64) {
	rate := float64(n) / max(time.Since(p.start).Seconds(), 1e-9)
	if !p.terminal {
		fmt.Fprintf(p.w, "%s %d records (%.0f/s)%s\n", p.verb, n, rate, p.percent(offset))
		return
	}
	p.drawn = true
	const width = 30
	bar := strings.Repeat(" ", width)
	if p.total > 0 {
		filled := int(min(offset, p.total) * width / p.total)
		bar = strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	}
	fmt.Fprintf(p.w, "\r[%s] %s %d records (%.0f/s)%s  ", bar, p.verb, n, rate, p.percent(offset))
}

func (p *progress) percent(offset int64) string {
	if p.total <= 0 {
		return ""
	}
	return fmt.Sprintf(", %.0f%%", float64(min(offset, p.total))*100/float64(p.total))
}

// finish ends the bar's line, so that what follows starts on a line of its
// own.
func (p *progress) finish(n, offset int64) {
	if p.terminal {
		p.write(n, offset)
		fmt.Fprintln(p.w)
	}
}
