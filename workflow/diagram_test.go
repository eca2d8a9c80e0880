package workflow_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/kycsdk/kyc/workflow"
)

// edge is one arrow of a diagram, with the names of its ends and its text
// as the reader sees them once the diagram's escapes are decoded.
type edge struct{ From, To, Label string }

// mermaidLine is the only shape a line of the package's Mermaid may have:
// a node id, optionally its quoted label, an arrow with an optional quoted
// text, and the other node.
var mermaidLine = regexp.MustCompile(`^(s\d+)(?:\["([^"]*)"\])? -->(?:\|"([^"]*)"\|)? (s\d+)(?:\["([^"]*)"\])?$`)

var mermaidKeyword = regexp.MustCompile(`(?i)^\s*(click|style|classdef|class|linkstyle|subgraph|end|direction|graph|flowchart|%%)\b`)

// parseMermaid checks that text is one graph in the package's form and
// returns its nodes (id -> decoded name) and edges. It fails the test on
// any line a name, label or condition could have written.
func parseMermaid(t *testing.T, text string) (map[string]string, []edge) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if lines[0] != "graph TD" || !strings.HasSuffix(text, "\n") {
		t.Fatalf("Mermaid does not start with graph TD or end with a newline:\n%s", text)
	}
	nodes := map[string]string{}
	var edges []edge
	node := func(id, label string, labelled bool) string {
		name, seen := nodes[id]
		switch {
		case labelled && seen:
			t.Errorf("node %s labelled twice", id)
		case labelled:
			name = mermaidDecode(t, label, false)
			nodes[id] = name
		case !seen:
			t.Errorf("node %s used before its label", id)
		}
		return name
	}
	for _, line := range lines[1:] {
		if mermaidKeyword.MatchString(line) {
			t.Errorf("line begins with a Mermaid keyword: %q", line)
			continue
		}
		m := mermaidLine.FindStringSubmatchIndex(line)
		if m == nil {
			t.Errorf("line not of the package's form: %q", line)
			continue
		}
		sub := func(k int) (string, bool) {
			if m[2*k] < 0 {
				return "", false
			}
			return line[m[2*k]:m[2*k+1]], true
		}
		fromID, _ := sub(1)
		fromLabel, fl := sub(2)
		text, _ := sub(3)
		toID, _ := sub(4)
		toLabel, tl := sub(5)
		from := node(fromID, fromLabel, fl)
		to := node(toID, toLabel, tl)
		edges = append(edges, edge{from, to, mermaidDecode(t, text, true)})
	}
	return nodes, edges
}

var mermaidEntity = regexp.MustCompile(`#(\w+);`)

// mermaidDecode decodes Mermaid's entities, refusing any character that
// means something to Mermaid's parser or its HTML; <br> is a line break
// where breaks is set.
func mermaidDecode(t *testing.T, s string, breaks bool) string {
	t.Helper()
	plain := s
	if breaks {
		plain = strings.ReplaceAll(plain, "<br>", "")
	}
	if i := strings.IndexAny(plain, "\"|;{}`<>%#\\\n\r"); i >= 0 && !mermaidEntity.MatchString(plain[i:]) {
		t.Errorf("raw %q in Mermaid text %q", plain[i], s)
	}
	for _, bad := range []string{"-->", "%%", "&lt;", "&#"} {
		if strings.Contains(s, bad) {
			t.Errorf("raw %q in Mermaid text %q", bad, s)
		}
	}
	if breaks {
		s = strings.ReplaceAll(s, "<br>", "\n")
	}
	return mermaidEntity.ReplaceAllStringFunc(s, func(e string) string {
		name := e[1 : len(e)-1]
		if n, err := strconv.Atoi(name); err == nil {
			return string(rune(n))
		}
		named := map[string]string{"quot": `"`, "amp": "&", "lt": "<", "gt": ">"}
		if v, ok := named[name]; ok {
			return v
		}
		t.Errorf("unknown entity %s", e)
		return e
	})
}

// dotToken is a token of the DOT language: an id (bare or quoted) or a
// punctuation mark.
type dotToken struct {
	text   string
	quoted bool
}

// dotTokens splits DOT text as Graphviz's lexer does: in a quoted string
// \" is a quote and \\ stays a pair; a backslash-newline would join lines.
func dotTokens(t *testing.T, s string) []dotToken {
	t.Helper()
	var toks []dotToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case strings.IndexByte("{}[]=,;", c) >= 0:
			toks = append(toks, dotToken{text: string(c)})
			i++
		case strings.HasPrefix(s[i:], "->"):
			toks = append(toks, dotToken{text: "->"})
			i += 2
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(s) && s[j] != '"'; j++ {
				if s[j] == '\n' {
					t.Fatalf("raw newline in a DOT string at %d", j)
				}
				if s[j] == '\\' && j+1 < len(s) {
					if s[j+1] == '\n' {
						t.Fatalf("backslash-newline in a DOT string at %d", j)
					}
					if s[j+1] == '"' {
						b.WriteByte('"')
					} else {
						b.WriteString(s[j : j+2])
					}
					j++
					continue
				}
				b.WriteByte(s[j])
			}
			if j == len(s) {
				t.Fatalf("unterminated DOT string at %d", i)
			}
			toks = append(toks, dotToken{text: b.String(), quoted: true})
			i = j + 1
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_':
			j := i
			for j < len(s) && ('a' <= s[j] && s[j] <= 'z' || 'A' <= s[j] && s[j] <= 'Z' || '0' <= s[j] && s[j] <= '9' || s[j] == '_') {
				j++
			}
			toks = append(toks, dotToken{text: s[i:j]})
			i = j
		default:
			t.Fatalf("unexpected %q in DOT at %d", c, i)
		}
	}
	return toks
}

// parseDOT checks that text is exactly one digraph of node and edge
// statements and returns its nodes (id -> label) and edges (labels as
// Graphviz shows them). A start marker is returned as the node "start".
func parseDOT(t *testing.T, text string) (map[string]string, []edge) {
	t.Helper()
	toks := dotTokens(t, text)
	next := func() dotToken {
		if len(toks) == 0 {
			t.Fatal("DOT ends early")
		}
		tok := toks[0]
		toks = toks[1:]
		return tok
	}
	expect := func(want string) {
		if tok := next(); tok.quoted || tok.text != want {
			t.Fatalf("DOT: got %q, want %q", tok.text, want)
		}
	}
	attrs := func() map[string]string {
		m := map[string]string{}
		for {
			k := next()
			if !k.quoted && k.text == "]" {
				return m
			}
			expect("=")
			m[k.text] = dotLabel(next().text)
			if len(toks) > 0 && toks[0].text == "," && !toks[0].quoted {
				next()
			}
		}
	}
	expect("digraph")
	next() // the graph's name
	expect("{")
	nodes := map[string]string{}
	var edges []edge
	for {
		tok := next()
		if !tok.quoted && tok.text == "}" {
			break
		}
		if !tok.quoted && (tok.text == "node" || tok.text == "rankdir") {
			for next().text != ";" {
			}
			continue
		}
		if !tok.quoted {
			t.Fatalf("DOT: bare id %q outside the graph's own statements", tok.text)
		}
		from := tok.text
		switch op := next(); {
		case !op.quoted && op.text == "[":
			if _, dup := nodes[from]; dup {
				t.Errorf("DOT: node %q declared twice", from)
			}
			nodes[from] = attrs()["label"]
			expect(";")
		case !op.quoted && op.text == "->":
			to := next()
			if !to.quoted {
				t.Fatalf("DOT: bare id %q", to.text)
			}
			e := edge{From: from, To: to.text}
			if after := next(); !after.quoted && after.text == "[" {
				e.Label = attrs()["label"]
				expect(";")
			} else if after.quoted || after.text != ";" {
				t.Fatalf("DOT: got %q after an edge", after.text)
			}
			edges = append(edges, e)
		default:
			t.Fatalf("DOT: got %q after id %q", op.text, from)
		}
	}
	if len(toks) > 0 {
		t.Fatalf("DOT: %d tokens after the graph", len(toks))
	}
	for i, e := range edges {
		from, ok1 := nodes[e.From]
		to, ok2 := nodes[e.To]
		if !ok1 || !ok2 {
			t.Errorf("DOT: edge %q -> %q between undeclared nodes", e.From, e.To)
		}
		if e.From == "start" {
			from = "start"
		}
		edges[i].From, edges[i].To = from, to
	}
	return nodes, edges
}

// dotLabel is an escString as Graphviz shows it: \\ is a backslash, \n a
// line break; any other escape would be Graphviz's (\N, \G) and fails.
func dotLabel(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch {
		case i == len(s):
			b.WriteString(`\?`)
		case s[i] == '\\':
			b.WriteByte('\\')
		case s[i] == 'n':
			b.WriteByte('\n')
		default:
			b.WriteString(`\?` + string(s[i]))
		}
	}
	return b.String()
}

// hostileNames are state names that are clean by Compile's rule and yet
// Mermaid or DOT syntax, keywords or ids the renderer might generate.
var hostileNames = []string{
	`x --> c; click a "javascript:alert(1)"`,
	"__start", "start", "s0", "s1", "end", "click", "style", "classDef", "subgraph", "graph TD",
	"node", "edge", "digraph", `%%{init: {"securityLevel": "loose"}}%%`,
	`a"b\"c\`, `\N \G`, `"]`, "[x]", `<img src=x onerror=alert(1)>`, "`md`", "#quot;", "a|b",
	"&lt;b&gt;", "revisión", "審査中",
}

// hostileLabels are labels and conditions with line breaks and syntax.
var hostileLabels = []string{
	`x --> c; click a "javascript:alert(1)"`,
	"one\nclick s0 \"javascript:alert(1)\"\nstyle s0 fill:#f00",
	"%%{init: {\"securityLevel\": \"loose\"}}%%",
	"first<br>second",
	`"]; x --> y`,
	`|"| z`,
	`\N \G \" \`,
	"&lt;script&gt;",
	"`md`",
	"carriage\rreturn\ttab\x00nul",
}

func hostileWorkflow(t *testing.T) (*workflow.Workflow, []workflow.Transition) {
	t.Helper()
	var ts []workflow.Transition
	for i, s := range hostileNames {
		next := hostileNames[(i+1)%len(hostileNames)]
		tr := workflow.Transition{Source: s, Dest: next}
		switch i % 3 {
		case 0:
			tr.Label = hostileLabels[i%len(hostileLabels)]
		case 1:
			tr.Condition = "context.user == " + strconv.Quote(hostileLabels[i%len(hostileLabels)]) + " or dprofile.open_cases < 1"
		}
		ts = append(ts, tr, workflow.Transition{Source: next, Dest: s, Label: hostileLabels[(i+3)%len(hostileLabels)]})
	}
	w, err := workflow.New(ts, workflow.WithInitial("start"), workflow.WithFourEyes("click", "__start"))
	if err != nil {
		t.Fatal(err)
	}
	return w, ts
}

// wantText is the text a diagram must show for a transition of w: its
// label (with the seed's <br> as a line break), else its condition, control
// characters as spaces, and a last line for a move out of a four-eyes
// state.
func wantText(w *workflow.Workflow, tr workflow.Transition) string {
	s := tr.Condition
	if tr.Label != "" {
		s = strings.ReplaceAll(tr.Label, "<br>", "\n")
	}
	s = strings.Map(func(r rune) rune {
		if r != '\n' && (r < 0x20 || r == 0x7f) {
			return ' '
		}
		return r
	}, s)
	if w.FourEyes(tr.Source) {
		if s != "" {
			s += "\n"
		}
		s += "checker is not the maker"
	}
	return s
}

// TestDiagramInjection renders a workflow whose names, labels and
// conditions are Mermaid and DOT syntax (issue 16, item 10): each diagram
// must be one graph with exactly one node per state and one edge per
// transition, showing the texts as written.
func TestDiagramInjection(t *testing.T) {
	w, ts := hostileWorkflow(t)
	want := make([]edge, len(ts))
	for i, tr := range ts {
		want[i] = edge{tr.Source, tr.Dest, wantText(w, tr)}
	}
	t.Run("mermaid", func(t *testing.T) {
		nodes, edges := parseMermaid(t, w.Mermaid())
		if len(nodes) != len(w.States()) {
			t.Errorf("%d nodes, want %d", len(nodes), len(w.States()))
		}
		if diff := cmp.Diff(want, edges); diff != "" {
			t.Errorf("edges (-want +got):\n%s", diff)
		}
	})
	t.Run("dot", func(t *testing.T) {
		nodes, edges := parseDOT(t, w.DOT())
		if len(nodes) != len(w.States())+1 || nodes["start"] != "" {
			t.Errorf("%d nodes (%q), want %d states and the start marker", len(nodes), nodes, len(w.States()))
		}
		wantDOT := append([]edge{{"start", "start", ""}}, want...)
		if diff := cmp.Diff(wantDOT, edges); diff != "" {
			t.Errorf("edges (-want +got):\n%s", diff)
		}
	})
}

// TestDiagramsOfTheSeed parses the built-in workflows' diagrams with the
// same checkers: the seed's states and edges, in its order.
func TestDiagramsOfTheSeed(t *testing.T) {
	for _, w := range []*workflow.Workflow{workflow.Default(), workflow.MakerChecker()} {
		var want []edge
		for _, tr := range w.Transitions() {
			want = append(want, edge{tr.Source, tr.Dest, wantText(w, tr)})
		}
		_, mm := parseMermaid(t, w.Mermaid())
		if diff := cmp.Diff(want, mm); diff != "" {
			t.Errorf("Mermaid edges (-want +got):\n%s", diff)
		}
		_, dot := parseDOT(t, w.DOT())
		initial := edge{"start", w.Initial(), ""}
		if diff := cmp.Diff(append([]edge{initial}, want...), dot); diff != "" {
			t.Errorf("DOT edges (-want +got):\n%s", diff)
		}
	}
}

func ExampleWorkflow_DOT() {
	w, _ := workflow.Compile([]byte(`[{"source": "__start", "dest": "active", "label": "say \"hi\""}]`))
	fmt.Print(w.DOT())
	// Output:
	// digraph workflow {
	// 	rankdir=TB;
	// 	node [shape=box, style=rounded];
	// 	"start" [shape=point, label=""];
	// 	"s0" [label="__start"];
	// 	"s1" [label="active"];
	// 	"start" -> "s0";
	// 	"s0" -> "s1" [label="say \"hi\""];
	// }
}
