// Package richtext reads the rich text (HTML) of comments (seed 003, 3.4):
// Sanitize makes a body safe to store and show, PlainText renders one as
// plain text for previews. Both read the text with an HTML tokenizer or
// parser, as a browser reads it (golang.org/x/net/html), never by scanning
// for '<' and '>'; the allowlist is bluemonday's.
//
// Both functions are safe for concurrent use.
package richtext

import (
	"strings"
	"sync"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Comments are written by one operator and read by others in a browser: a
// quoted "1>2" in an attribute, a comment, a bare "x < y" are all HTML that
// string scanning gets wrong.

// PlainText renders rich text (HTML) as plain text for previews: tags are
// dropped, block elements and line breaks become spaces, entities are
// decoded once and white space is collapsed. Content of <script>, <style>,
// <template>, <noscript>, <iframe>, <noembed> and <noframes> elements,
// comments and doctypes are dropped.
//
// The result is text, not HTML: escaped markup is the author's text, so
// "&lt;script&gt;" gives "<script>". A caller that writes it into HTML
// escapes it (html/template does).
func PlainText(rich string) string {
	var b strings.Builder
	z := html.NewTokenizer(strings.NewReader(rich))
	hidden := 0 // depth inside elements whose content is not text
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			// io.EOF: a string reader fails in no other way.
			return strings.Join(strings.Fields(b.String()), " ")
		case html.TextToken:
			if hidden == 0 {
				b.WriteString(strings.Map(textRune, string(z.Text())))
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if hiddenContent[a] && tt != html.SelfClosingTagToken {
				hidden = max(0, hidden+depthStep(tt))
			}
			if !inline[a] {
				b.WriteByte(' ')
			}
		}
	}
}

// textRune drops NUL, as a browser's tree builder does, and turns other
// control characters into spaces, so that a preview cannot carry terminal
// escapes or hidden line breaks into a log or a screen.
func textRune(r rune) rune {
	switch {
	case r == 0:
		return -1
	case unicode.IsControl(r):
		return ' '
	}
	return r
}

func depthStep(tt html.TokenType) int {
	if tt == html.StartTagToken {
		return 1
	}
	return -1
}

// hiddenContent are the elements whose content a browser does not show as
// the element's text.
var hiddenContent = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Template: true, atom.Noscript: true,
	atom.Iframe: true, atom.Noembed: true, atom.Noframes: true,
}

// inline are the phrasing elements that do not separate words: "wo<b>r</b>d"
// is one word. Every other tag separates.
var inline = map[atom.Atom]bool{
	atom.A: true, atom.Abbr: true, atom.B: true, atom.Bdi: true, atom.Bdo: true,
	atom.Cite: true, atom.Code: true, atom.Data: true, atom.Del: true, atom.Dfn: true,
	atom.Em: true, atom.Font: true, atom.I: true, atom.Ins: true, atom.Kbd: true,
	atom.Mark: true, atom.Q: true, atom.S: true, atom.Samp: true, atom.Small: true,
	atom.Span: true, atom.Strike: true, atom.Strong: true, atom.Sub: true, atom.Sup: true,
	atom.Time: true, atom.Tt: true, atom.U: true, atom.Var: true,
}

// commentPolicy is the allowlist of Sanitize, built once: a
// bluemonday.Policy is safe for concurrent use once built, and nothing
// changes it after.
var commentPolicy = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "b", "strong", "i", "em", "u", "s",
		"ul", "ol", "li", "blockquote", "code", "pre",
		"h1", "h2", "h3", "h4", "h5", "h6")
	// Links only to the web and to mail: no javascript:, data: or
	// relative URL (which would resolve against the back office).
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(false)
	p.RequireParseableURLs(true)
	// A link in a comment is the author's, not the institution's: no
	// ranking credit, and a page opened from it gets no handle on the
	// back office's window (rel="nofollow noopener", target="_blank").
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
})

// Sanitize returns the rich text of a comment body (seed 003, 3.4)
// with everything outside an allowlist removed: the elements a comment
// editor produces (p, br, b, strong, i, em, u, s, ul, ol, li, blockquote,
// code, pre, h1 to h6) and a with an http, https or mailto href, given
// rel="nofollow" (and "noopener" with target="_blank" for web links).
// Scripts, styles, event handlers, images, frames, forms, comments and
// every other attribute are dropped; text is escaped. The policy is
// bluemonday's (github.com/microcosm-cc/bluemonday), built once.
//
// The body is first parsed as a browser parses the content of an element
// and written back from the tree (golang.org/x/net/html), so that what the
// sanitiser reads is what a browser would build: unclosed tags are closed,
// misnested ones repaired, and no input can be read one way by the
// sanitiser and another by the browser.
//
// A body nested deeper than the parser follows (512 open elements) keeps
// only its text, escaped (html.EscapeString of PlainText).
//
// It is meant for the body on write, so that what is stored is safe to
// show; sanitising its result again changes nothing. The result can be
// longer than the body (a browser reopens unclosed formatting elements in
// each new paragraph, and so does the parser), so a size limit applies to
// the result.
func Sanitize(body string) string {
	tree, ok := reparsed(body)
	if !ok {
		return html.EscapeString(PlainText(body))
	}
	return commentPolicy().Sanitize(tree)
}

// reparsed returns s parsed as the content of a <div> and rendered back,
// or false when the parser refuses it (too deep).
func reparsed(s string) (string, bool) {
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		return "", false
	}
	var b strings.Builder
	for _, n := range nodes {
		if err := html.Render(&b, n); err != nil {
			return "", false
		}
	}
	return b.String(), true
}
