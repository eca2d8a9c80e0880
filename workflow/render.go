package workflow

import (
	"regexp"
	"strconv"
	"strings"
)

var plainID = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// Mermaid renders the workflow as a Mermaid `graph TD`, as the seed draws
// its workflows (seed 003, 3.3.1): one edge per transition, in order, with
// the transition's label, else its condition, on the edge.
func (w *Workflow) Mermaid() string {
	var b strings.Builder
	b.WriteString("graph TD\n")
	ids := map[string]string{}
	for _, t := range w.transitions {
		b.WriteString(mermaidNode(t.Source, ids))
		switch {
		case t.Label != "":
			// A label is the author's text, written as the seed writes it.
			b.WriteString(" -- " + strings.ReplaceAll(t.Label, "\n", " ") + " --> ")
		case t.Condition != "":
			b.WriteString(` -->|"` + mermaidEscape(t.Condition) + `"| `)
		default:
			b.WriteString(" --> ")
		}
		b.WriteString(mermaidNode(t.Dest, ids))
		b.WriteByte('\n')
	}
	return b.String()
}

// mermaidNode writes a state as a node id; a name Mermaid cannot take as an
// id gets a generated id and the name as its text, the first time.
func mermaidNode(state string, ids map[string]string) string {
	if plainID.MatchString(state) && state != "end" {
		return state
	}
	if id, ok := ids[state]; ok {
		return id
	}
	id := "s" + strconv.Itoa(len(ids))
	ids[state] = id
	return id + `["` + mermaidEscape(state) + `"]`
}

func mermaidEscape(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "\n", " ", "|", "#124;").Replace(s)
}

// DOT renders the workflow as a Graphviz digraph: the initial state is
// marked, and each edge carries the transition's label, else its condition.
func (w *Workflow) DOT() string {
	var b strings.Builder
	b.WriteString("digraph workflow {\n\trankdir=TB;\n\tnode [shape=box, style=rounded];\n")
	if w.initial != "" {
		b.WriteString("\t__start [shape=point, label=\"\"];\n")
		b.WriteString("\t__start -> " + dotQuote(w.initial) + ";\n")
	}
	for _, t := range w.transitions {
		b.WriteString("\t" + dotQuote(t.Source) + " -> " + dotQuote(t.Dest))
		label := strings.ReplaceAll(t.Label, "<br>", "\n")
		if label == "" {
			label = t.Condition
		}
		if label != "" {
			b.WriteString(" [label=" + dotQuote(label) + "]")
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
	return b.String()
}

func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}
