package kyc

import (
	"html"
	"strings"
	"unicode"
)

// PlainText renders rich text (HTML) as plain text for previews: tags are
// dropped, block ends become spaces, entities are decoded and white space is
// collapsed. Content of <script> and <style> elements is dropped.
func PlainText(rich string) string {
	var b strings.Builder
	for i := 0; i < len(rich); {
		if rich[i] != '<' {
			j := strings.IndexByte(rich[i:], '<')
			if j < 0 {
				j = len(rich) - i
			}
			b.WriteString(rich[i : i+j])
			i += j
			continue
		}
		end := strings.IndexByte(rich[i:], '>')
		if end < 0 {
			break // an unterminated tag: drop the rest rather than show markup
		}
		tag := strings.ToLower(rich[i+1 : i+end])
		i += end + 1
		if name := tagName(tag); name == "script" || name == "style" {
			i = skipElement(rich, i, name)
		}
		b.WriteByte(' ')
	}
	return strings.Join(strings.FieldsFunc(html.UnescapeString(b.String()), unicode.IsSpace), " ")
}

func tagName(tag string) string {
	tag = strings.TrimPrefix(tag, "/")
	if i := strings.IndexFunc(tag, func(r rune) bool { return unicode.IsSpace(r) || r == '/' }); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

func skipElement(s string, i int, name string) int {
	closing := "</" + name
	j := strings.Index(strings.ToLower(s[i:]), closing)
	if j < 0 {
		return len(s)
	}
	i += j
	if k := strings.IndexByte(s[i:], '>'); k >= 0 {
		return i + k + 1
	}
	return len(s)
}
