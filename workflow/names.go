package workflow

import (
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// nameProblem says what keeps s from being a state name, or "" when it is
// one; see Compile for the rule and why.
func nameProblem(s string) string {
	switch {
	case s == "":
		return "empty"
	case len(s) > MaxStateLen:
		return fmt.Sprintf("is longer than %d bytes", MaxStateLen)
	case !utf8.ValidString(s):
		return "is not valid UTF-8"
	case hasControl(s):
		return "contains a control character"
	case hasEdgeSpace(s):
		return "has leading or trailing white space"
	case !isASCII(s) && !norm.NFC.IsNormalString(s):
		return "is not in Unicode NFC"
	}
	return ""
}

// isASCII spares the NFC check, which allocates, for the usual names.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// hasControl reports a rune that breaks a line or reorders the text
// around it when the name is printed: C0 and C1 controls, the line and
// paragraph separators, and the bidirectional controls (the "Trojan
// Source" characters, CVE-2021-42574).
func hasControl(s string) bool {
	for _, r := range s {
		switch {
		case unicode.IsControl(r), r == '\u2028', r == '\u2029':
			return true
		case r == '\u061c', r == '\u200e', r == '\u200f',
			r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
			return true
		}
	}
	return false
}

func hasEdgeSpace(s string) bool {
	first, _ := utf8.DecodeRuneInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(first) || unicode.IsSpace(last)
}

// shown is a state name as error texts print it: as it is when it is a
// clean name (or empty), quoted with Go escapes otherwise, so that a name
// can never rewrite the line it is printed on.
func shown(s string) string {
	if s == "" || nameProblem(s) == "" {
		return s
	}
	return strconv.Quote(s)
}
