package workflow

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Diagrams are read by tools that execute what they read: Mermaid runs
// `click` callbacks and `%%{init}%%` directives found in the text, and a
// Graphviz node id written twice is one node. State names, labels and
// conditions come from a tenant's configuration, so nothing of them is
// ever written as syntax (issue 16, item 10): every node gets a generated
// id (s0, s1, ... in the order of States; the DOT start marker is `start`,
// which no generated id equals), and every name, label and condition is
// written as a quoted, escaped string. Line breaks are kept where the text
// has them: the seed's `<br>` in a label, or a newline. A move out of a
// four-eyes state (WithFourEyes) carries one more line, fourEyesNote.

// fourEyesNote marks the edges of a four-eyes state in diagrams.
const fourEyesNote = "checker is not the maker"

// Mermaid renders the workflow as a Mermaid `graph TD`, as the seed draws
// its workflows (seed 003, 3.3.1): one edge per transition, in order, with
// the transition's label, else its condition, on the edge, and "checker is
// not the maker" on a move out of a four-eyes state. Each state is a node
// with a generated id and its name as a quoted label, given the first time
// the state appears.
func (w *Workflow) Mermaid() string {
	var b strings.Builder
	b.WriteString("graph TD\n")
	named := make([]bool, len(w.states))
	for _, t := range w.transitions {
		w.mermaidNode(&b, t.Source, named)
		b.WriteString(" -->")
		if lines := w.edgeLines(t); lines != nil {
			b.WriteString(`|"`)
			for i, line := range lines {
				if i > 0 {
					b.WriteString("<br>")
				}
				mermaidEscape(&b, line)
			}
			b.WriteString(`"|`)
		}
		b.WriteByte(' ')
		w.mermaidNode(&b, t.Dest, named)
		b.WriteByte('\n')
	}
	return b.String()
}

func (w *Workflow) mermaidNode(b *strings.Builder, state string, named []bool) {
	k := w.stateIdx[state]
	b.WriteString("s" + strconv.Itoa(k))
	if named[k] {
		return
	}
	named[k] = true
	b.WriteString(`["`)
	mermaidEscape(b, state)
	b.WriteString(`"]`)
}

// mermaidEscape writes s for a Mermaid quoted string. Letters, digits and
// a few harmless ASCII marks are written as they are; every other ASCII
// character becomes a Mermaid entity (`#quot;`, `#35;`), which Mermaid
// decodes only after it has parsed the diagram, so that no quote, `|`,
// `;`, `%%`, brace, backtick or `-->` of the text reaches its parser, nor
// `<` its HTML. An `&` stays as the seed writes it ("checked &<br> risk")
// unless it could start an HTML entity. Other runes are kept when
// printable.
func mermaidEscape(b *strings.Builder, s string) {
	for i, r := range s {
		switch {
		case r < utf8.RuneSelf && mermaidPlain(byte(r)):
			b.WriteRune(r)
		case r == '"':
			b.WriteString("#quot;")
		case r == '&' && !startsEntity(s[i+1:]):
			b.WriteByte('&')
		case r == '&':
			b.WriteString("#amp;")
		case r == '<':
			b.WriteString("#lt;")
		case r == '>':
			b.WriteString("#gt;")
		case r < utf8.RuneSelf:
			b.WriteString("#" + strconv.Itoa(int(r)) + ";")
		case unicode.IsGraphic(r):
			b.WriteRune(r)
		default:
			b.WriteRune(utf8.RuneError)
		}
	}
}

// startsEntity reports whether an `&` before s would be read as the start
// of an HTML character reference.
func startsEntity(s string) bool {
	if s == "" {
		return false
	}
	c := s[0]
	return c == '#' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// mermaidPlain reports an ASCII character that means nothing in a Mermaid
// string, nor in the HTML Mermaid makes of it.
func mermaidPlain(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte(" _.,:!?'()[]+*/=@$^~-", c) >= 0
}

// edgeLines returns the text of a transition's edge, its label, else its
// condition, as lines with no control character left, then fourEyesNote
// for a move out of a four-eyes state; or nil.
func (w *Workflow) edgeLines(t Transition) []string {
	lines := textLines(t)
	if w.fourEyes[t.Source] {
		lines = append(lines, fourEyesNote)
	}
	return lines
}

func textLines(t Transition) []string {
	text := t.Condition
	if t.Label != "" {
		text = t.Label
		for _, br := range []string{"<br>", "<br/>", "<br />", "<BR>", "<BR/>", "<BR />"} {
			text = strings.ReplaceAll(text, br, "\n")
		}
	}
	if text == "" {
		return nil
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		lines[i] = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) || unicode.IsSpace(r) {
				return ' '
			}
			return r
		}, line)
	}
	return lines
}

// DOT renders the workflow as a Graphviz digraph: one node per state, with
// a generated id and the state's name as its label, the initial state
// marked by an arrow from a point, and one edge per transition carrying
// the transition's label, else its condition, as Mermaid does.
func (w *Workflow) DOT() string {
	var b strings.Builder
	b.WriteString("digraph workflow {\n\trankdir=TB;\n\tnode [shape=box, style=rounded];\n")
	if w.initial != "" {
		b.WriteString("\t\"start\" [shape=point, label=\"\"];\n")
	}
	for k, s := range w.states {
		b.WriteString("\t" + dotID(k) + " [label=" + dotQuote([]string{s}) + "];\n")
	}
	if w.initial != "" {
		b.WriteString("\t\"start\" -> " + dotID(w.stateIdx[w.initial]) + ";\n")
	}
	for _, t := range w.transitions {
		b.WriteString("\t" + dotID(w.stateIdx[t.Source]) + " -> " + dotID(w.stateIdx[t.Dest]))
		if lines := w.edgeLines(t); lines != nil {
			b.WriteString(" [label=" + dotQuote(lines) + "]")
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func dotID(k int) string { return `"s` + strconv.Itoa(k) + `"` }

// dotQuote writes lines as one DOT quoted string. The backslash is doubled
// so that no text makes a Graphviz escape (\N, \G, \l) and a quote is
// escaped; lines are joined by Graphviz's \n; a control character becomes
// a space, and any other unprintable rune (invalid UTF-8 included) U+FFFD.
func dotQuote(lines []string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, line := range lines {
		if i > 0 {
			b.WriteString(`\n`)
		}
		for _, r := range line {
			switch {
			case r == '\\':
				b.WriteString(`\\`)
			case r == '"':
				b.WriteString(`\"`)
			case unicode.IsControl(r):
				b.WriteByte(' ')
			case !unicode.IsGraphic(r):
				b.WriteRune(utf8.RuneError)
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}
