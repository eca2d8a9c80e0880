package richtext_test

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/kycsdk/kyc/internal/richtext"
	"golang.org/x/net/html"
)

func TestPlainText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "hello", "hello"},
		{"tags and entities", "<p>Called <b>him</b> &amp; <i>her</i></p><p>Done.</p>", "Called him & her Done."},
		{"inline tags join", "wo<b>r</b>d, <em>it</em>alic", "word, italic"},
		{"block tags separate", "<p>one</p><p>two</p><ul><li>three</li><li>four</li></ul>a<br>b", "one two three four a b"},
		{"script dropped", "a<script>alert(1)</script>b", "a b"},
		{"script with markup inside dropped", `a<script>if (x < 1) { document.write("</p>") }</script>b`, "a b"},
		{"style dropped", "<style>p{}</style>text", "text"},
		{"template and noscript dropped", "<template><p>hidden</p></template><noscript>also</noscript>shown", "shown"},
		{"unterminated tag", "text <b", "text"},
		{"white space", "  a \n\t b  ", "a b"},
		// The four cases of issue 15 (item 9). Escaped markup is the
		// author's text: decoded once, as text, never a tag.
		{"escaped script is text", "&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"},
		{"quoted > in an attribute", `<a title="1>2">link</a>`, "link"},
		{"comment", "before<!-- a > b -- c -->after", "beforeafter"},
		{"bare less-than", "x < y and y > z", "x < y and y > z"},
		{"quoted > in href", `<a href="x>y">link</a>`, "link"},
		{"entities decoded once", "&amp;lt;b&amp;gt; &amp;amp; &#38;#60;", "&lt;b&gt; &amp; &#60;"},
		{"numeric and named entities", "caf&eacute; &#233; &#xE9; &nbsp;x", "café é é x"},
		{"doctype and processing instruction", "<!DOCTYPE html><?xml version='1.0'?>text", "text"},
		{"unclosed comment", "text<!-- rest", "text"},
		{"NUL", "a\x00b", "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := richtext.PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"editor rich text kept", "<h2>Call</h2><p>Spoke to <b>him</b>, <strong>twice</strong>, <i>i</i> <em>em</em> <u>u</u> <s>s</s></p>",
			"<h2>Call</h2><p>Spoke to <b>him</b>, <strong>twice</strong>, <i>i</i> <em>em</em> <u>u</u> <s>s</s></p>"},
		{"lists, quotes, code", "<ul><li>a</li></ul><ol><li>b</li></ol><blockquote>q</blockquote><pre><code>x &lt; y</code></pre>line<br>next",
			"<ul><li>a</li></ul><ol><li>b</li></ol><blockquote>q</blockquote><pre><code>x &lt; y</code></pre>line<br/>next"},
		{"every heading", "<h1>1</h1><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6>", "<h1>1</h1><h3>3</h3><h4>4</h4><h5>5</h5><h6>6</h6>"},
		{"https link", `<a href="https://example.com/a?b=1">x</a>`, `<a href="https://example.com/a?b=1" rel="nofollow noopener" target="_blank">x</a>`},
		{"mailto link", `<a href="mailto:aml@example.com">mail</a>`, `<a href="mailto:aml@example.com" rel="nofollow">mail</a>`},
		{"link's own rel and target replaced", `<a href="http://example.com" rel="opener" target="x" title="t">x</a>`, `<a href="http://example.com" rel="nofollow noopener" target="_blank">x</a>`},
		{"javascript URL", `<a href="javascript:alert(1)">x</a>`, "x"},
		{"javascript URL, entity-encoded and cased", `<a href="JaVa&#115;cript:alert(1)">x</a>`, "x"},
		{"javascript URL with a tab", "<a href=\"java\tscript:alert(1)\">x</a>", "x"},
		{"data URL", `<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>`, "x"},
		{"relative URL", `<a href="/admin">x</a>`, "x"},
		{"image with onerror", `<img src=x onerror=alert(1)>after`, "after"},
		{"data image", `<img src="data:image/png;base64,iVBORw0KGgo=">`, ""},
		{"svg onload", `<svg onload=alert(1)><circle r="1"/></svg>text`, "text"},
		{"script", `a<script>alert(1)</script>b`, "ab"},
		{"style", `<style>body{display:none}</style><p style="color:red">p</p>`, "<p>p</p>"},
		{"event handler on an allowed element", `<b onclick="alert(1)" onmouseover=alert(1)>b</b>`, "<b>b</b>"},
		{"iframe, object, form", `<iframe src="https://evil"></iframe><object data="x"></object><form action="x"><input name="a"></form>t`, "t"},
		{"nested broken tags", `<scr<script>ipt>alert(1)</scr</script>ipt>`, "ipt&gt;alert(1)ipt&gt;"},
		{"unclosed tags closed", "<p><b>bold", "<p><b>bold</b></p>"},
		{"attribute breaking out", `<p title="a"onmouseover="alert(1)">x</p>`, "<p>x</p>"},
		{"comment", "a<!-- <script>alert(1)</script> -->b", "ab"},
		{"text escaped", `1 < 2 & "q"`, "1 &lt; 2 &amp; &#34;q&#34;"},
		{"misnested tags repaired", "<b><i>x</b>y</i>", "<b><i>x</i></b><i>y</i>"},
		{"deeper than the parser follows: text only", strings.Repeat("<b>", 600) + `<img src=x onerror=alert(1)>"deep" & <a href="https://x">end`, "&#34;deep&#34; &amp; end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := richtext.Sanitize(tt.in); got != tt.want {
				t.Errorf("Sanitize(%q) =\n%q, want\n%q", tt.in, got, tt.want)
			}
		})
	}
}

// TestSanitizeIdempotent: sanitising stored text again changes
// nothing, so an edit that keeps a comment's text keeps its bytes.
func TestSanitizeIdempotent(t *testing.T) {
	for _, in := range sanitizeSeeds {
		once := richtext.Sanitize(in)
		if twice := richtext.Sanitize(once); twice != once {
			t.Errorf("Sanitize not idempotent on %q:\n%q\n%q", in, once, twice)
		}
	}
}

var sanitizeSeeds = []string{
	"<p>Called <b>him</b> &amp; <i>her</i></p>",
	`<a href="https://example.com">x</a> <a href="mailto:a@example.com">m</a>`,
	`<img src=x onerror=alert(1)>`, `<a href="javascript:alert(1)">x</a>`, `<svg onload=alert(1)>`,
	`<scr<script>ipt>alert(1)</scr</script>ipt>`, "<p><b>bold", `&lt;script&gt;`, `<a title="1>2">t</a>`,
	"<!-- c -->x < y", "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
	"<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
	strings.Repeat("<i>", 520) + "<script>alert(1)</script>",
}

// hasScript reports an opening script tag in HTML as a browser would read
// it, whatever its case.
func hasScript(s string) bool { return strings.Contains(strings.ToLower(s), "<script") }

func FuzzPlainText(f *testing.F) {
	for _, s := range sanitizeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := richtext.PlainText(in)
		if utf8.ValidString(in) && !utf8.ValidString(out) {
			t.Fatalf("PlainText(%q) = %q: not valid UTF-8", in, out)
		}
		if out != strings.Join(strings.Fields(out), " ") {
			t.Fatalf("PlainText(%q) = %q: white space not collapsed", in, out)
		}
	})
}

func FuzzSanitize(f *testing.F) {
	for _, s := range sanitizeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := richtext.Sanitize(in)
		if hasScript(out) {
			t.Fatalf("Sanitize(%q) = %q: contains <script", in, out)
		}
		if err := onlyAllowed(out); err != "" {
			t.Fatalf("Sanitize(%q) = %q: %s", in, out, err)
		}
	})
}

// onlyAllowed reads s as a browser's tokenizer does and returns what in it
// is outside the comment allowlist, or "".
func onlyAllowed(s string) string {
	allowed := map[string]bool{}
	for _, e := range strings.Fields("p br b strong i em u s ul ol li blockquote code pre a h1 h2 h3 h4 h5 h6") {
		allowed[e] = true
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.CommentToken, html.DoctypeToken:
			return "a comment or doctype"
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if !allowed[tok.Data] {
				return "element " + tok.Data
			}
			for _, a := range tok.Attr {
				if msg := attrProblem(tok.Data, a); msg != "" {
					return msg
				}
			}
		}
	}
}

func attrProblem(elem string, a html.Attribute) string {
	if elem != "a" || a.Namespace != "" {
		return "attribute " + a.Key + " on " + elem
	}
	switch a.Key {
	case "rel", "target":
		return ""
	case "href":
		u, err := url.Parse(a.Val)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
			return "href " + a.Val
		}
		return ""
	}
	return "attribute " + a.Key + " on a"
}

// TestSanitizeConcurrent: the policy is built once and shared; under
// -race, concurrent calls must not touch it.
func TestSanitizeConcurrent(t *testing.T) {
	want := richtext.Sanitize(sanitizeSeeds[1])
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 100 {
				if got := richtext.Sanitize(sanitizeSeeds[1]); got != want {
					t.Errorf("Sanitize = %q, want %q", got, want)
				}
			}
		})
	}
	wg.Wait()
}
