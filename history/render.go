package history

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// RenderOptions says how changes are rendered for people. The zero value
// shows values.
type RenderOptions struct {
	// Mask hides every value, for screens and logs where personal data must
	// not appear: a change reads "name changed", an add "contacts[2] added".
	// The reason of an entry, free text that may quote values, is left out
	// too.
	Mask bool
	// MaxValue caps the length in bytes of a rendered value, longer ones
	// being cut with "…"; 0 means 60.
	MaxValue int
}

const defaultMaxValue = 60

// Lines renders each change as one compact line for audit screens, in the
// order of the changes; an add or a remove gives one line per key:
//
//	name: "A" → "B"
//	contacts[2] added: {"contact_type":"mobile",…}
//	labels[1] removed: "vip"
//
// and with Mask: "name changed", "contacts[2] added", "labels[1] removed".
// Values are written as compact JSON.
func (c Changes) Lines(opts RenderOptions) []string {
	out := make([]string, 0, len(c))
	for _, ch := range c {
		switch ch.Op {
		case OpChange:
			out = append(out, renderChange(ch, opts))
		case OpAdd, OpRemove:
			for _, it := range ch.Items {
				out = append(out, renderItem(ch, it, opts))
			}
		}
	}
	return out
}

func renderChange(ch Change, opts RenderOptions) string {
	if opts.Mask {
		return ch.Path.display() + " changed"
	}
	return ch.Path.display() + ": " + renderValue(ch.Old, opts) + " → " + renderValue(ch.New, opts)
}

func renderItem(ch Change, it Item, opts RenderOptions) string {
	line := ch.Path.child(it.Key).display()
	if ch.Op == OpAdd {
		line += " added"
	} else {
		line += " removed"
	}
	if opts.Mask {
		return line
	}
	return line + ": " + renderValue(it.Value, opts)
}

// renderValue writes v as compact JSON cut to the options' maximum, on a
// rune boundary.
func renderValue(v any, opts RenderOptions) string {
	b, err := appendValue(nil, v)
	if err != nil {
		return "?"
	}
	limit := opts.MaxValue
	if limit <= 0 {
		limit = defaultMaxValue
	}
	if len(b) <= limit {
		return string(b)
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	return string(b[:cut]) + "…"
}

// Render renders the entry for an audit screen: a header saying which
// versions, who and when (UTC), and the reason unless masked, then one
// indented line per change as Changes.Lines gives them:
//
//	v1 → v2 by operador at 2021-06-25T19:15:51.709Z: fix constitution
//	  legal_person.constitution added: "horizontal_property_consortium"
func (e Entry) Render(opts RenderOptions) string {
	var b strings.Builder
	b.WriteString("v" + strconv.Itoa(e.Version) + " → v" + strconv.Itoa(e.Version+1))
	if e.CreatedBy != "" {
		b.WriteString(" by " + e.CreatedBy)
	}
	if e.CreatedAt != 0 {
		b.WriteString(" at " + time.UnixMilli(e.CreatedAt).UTC().Format("2006-01-02T15:04:05.000Z"))
	}
	if e.Reason != "" && !opts.Mask {
		b.WriteString(": " + e.Reason)
	}
	for _, line := range e.Changes.Lines(opts) {
		b.WriteString("\n  " + line)
	}
	return b.String()
}
