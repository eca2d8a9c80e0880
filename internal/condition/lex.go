package condition

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF tokKind = iota
	tName
	tInt
	tFloat
	tStr
	tOp
)

type token struct {
	kind tokKind
	text string // operator or name; the decoded value for strings
	ival int64
	fval float64
	col  int // 1-based rune column
}

// lexer turns a condition into tokens. It follows Python's lexical rules for
// the literals of the language (Python reference, "Lexical analysis"), and
// rejects what the language leaves out (bytes, f-strings, imaginary numbers)
// with the column where it starts.
type lexer struct {
	src   string
	pos   int // byte offset
	col   int // rune column of pos, 1-based
	depth int // bracket depth: newlines are only whitespace inside brackets
}

func lex(src string) ([]token, error) {
	lx := &lexer{src: src, col: 1}
	var toks []token
	for {
		t, err := lx.next()
		if err != nil {
			return nil, err
		}
		toks = append(toks, t)
		if t.kind == tEOF {
			return toks, nil
		}
	}
}

func (lx *lexer) peekByte(off int) byte {
	if lx.pos+off < len(lx.src) {
		return lx.src[lx.pos+off]
	}
	return 0
}

func (lx *lexer) advance(n int) {
	for i := 0; i < n && lx.pos < len(lx.src); i++ {
		_, size := utf8.DecodeRuneInString(lx.src[lx.pos:])
		lx.pos += size
		lx.col++
	}
}

// skipSpace skips blanks, comments and line continuations. A newline outside
// brackets ends a Python expression, so only trailing blanks may follow it.
func (lx *lexer) skipSpace() error {
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\f':
			lx.advance(1)
		case c == '\\' && (lx.peekByte(1) == '\n' || lx.peekByte(1) == '\r'):
			lx.advance(2)
			if lx.peekByte(-1) == '\r' && lx.peekByte(0) == '\n' {
				lx.advance(1)
			}
		case c == '\n' || c == '\r':
			if lx.depth == 0 && strings.TrimSpace(lx.src[lx.pos:]) != "" {
				return syntaxErr(lx.col, "newline outside brackets")
			}
			lx.advance(1)
		case c == '#':
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' && lx.src[lx.pos] != '\r' {
				lx.advance(1)
			}
		default:
			return nil
		}
	}
	return nil
}

var operators = []string{
	"**", "//", "==", "!=", "<=", ">=", "<<", ">>", "->", ":=",
	"<", ">", "+", "-", "*", "/", "%", "@", "&", "|", "^", "~",
	"(", ")", "[", "]", "{", "}", ",", ".", ":", ";", "=",
}

func (lx *lexer) next() (token, error) {
	if err := lx.skipSpace(); err != nil {
		return token{}, err
	}
	if lx.pos >= len(lx.src) {
		return token{kind: tEOF, col: lx.col}, nil
	}
	r, _ := utf8.DecodeRuneInString(lx.src[lx.pos:])
	switch {
	case r == '\'' || r == '"':
		return lx.str(false, lx.col)
	case isDigit(byte(r)) || (r == '.' && isDigit(lx.peekByte(1))):
		return lx.number()
	case isIdentStart(r):
		return lx.nameOrPrefixedString()
	}
	for _, op := range operators {
		if strings.HasPrefix(lx.src[lx.pos:], op) {
			t := token{kind: tOp, text: op, col: lx.col}
			lx.trackDepth(op)
			lx.advance(len(op))
			return t, nil
		}
	}
	return token{}, syntaxErr(lx.col, "invalid character")
}

func (lx *lexer) trackDepth(op string) {
	switch op {
	case "(", "[", "{":
		lx.depth++
	case ")", "]", "}":
		if lx.depth > 0 {
			lx.depth--
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isIdentPart(r rune) bool { return isIdentStart(r) || unicode.IsDigit(r) }

func (lx *lexer) nameOrPrefixedString() (token, error) {
	start, col := lx.pos, lx.col
	for lx.pos < len(lx.src) {
		r, _ := utf8.DecodeRuneInString(lx.src[lx.pos:])
		if !isIdentPart(r) {
			break
		}
		lx.advance(1)
	}
	name := lx.src[start:lx.pos]
	if q := lx.peekByte(0); (q == '\'' || q == '"') && len(name) <= 2 {
		return lx.prefixedString(name, col)
	}
	return token{kind: tName, text: name, col: col}, nil
}

func (lx *lexer) prefixedString(prefix string, col int) (token, error) {
	switch strings.ToLower(prefix) {
	case "r":
		return lx.str(true, col)
	case "u":
		return lx.str(false, col)
	case "b", "br", "rb":
		return token{}, syntaxErr(col, "bytes literals are not supported")
	case "f", "fr", "rf", "t", "tr", "rt":
		return token{}, syntaxErr(col, "formatted string literals are not supported")
	}
	return token{}, syntaxErr(col, "invalid string prefix")
}

// str reads a string literal in either quote, single or triple, decoding
// Python's escape sequences unless raw.
func (lx *lexer) str(raw bool, col int) (token, error) {
	q := lx.src[lx.pos]
	triple := lx.peekByte(1) == q && lx.peekByte(2) == q
	if triple {
		lx.advance(3)
	} else {
		lx.advance(1)
	}
	var b strings.Builder
	for {
		if lx.pos >= len(lx.src) {
			return token{}, syntaxErr(col, "unterminated string literal")
		}
		c := lx.src[lx.pos]
		if c == q && (!triple || (lx.peekByte(1) == q && lx.peekByte(2) == q)) {
			if triple {
				lx.advance(3)
			} else {
				lx.advance(1)
			}
			return token{kind: tStr, text: b.String(), col: col}, nil
		}
		if (c == '\n' || c == '\r') && !triple {
			return token{}, syntaxErr(col, "unterminated string literal")
		}
		if c == '\\' {
			if err := lx.escape(&b, raw); err != nil {
				return token{}, err
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(lx.src[lx.pos:])
		b.WriteString(lx.src[lx.pos : lx.pos+size])
		_ = r
		lx.advance(1)
	}
}

var simpleEscapes = map[byte]string{
	'\\': "\\", '\'': "'", '"': "\"", 'a': "\a", 'b': "\b", 'f': "\f",
	'n': "\n", 'r': "\r", 't': "\t", 'v': "\v",
}

// escape decodes one escape sequence at lx.pos (a backslash), following the
// table of Python's reference, "String and Bytes literals".
func (lx *lexer) escape(b *strings.Builder, raw bool) error {
	col := lx.col
	next := lx.peekByte(1)
	if next == 0 && lx.pos+1 >= len(lx.src) {
		return syntaxErr(col, "unterminated string literal")
	}
	if raw {
		// A raw string keeps the backslash, and the quote it protects.
		_, size := utf8.DecodeRuneInString(lx.src[lx.pos+1:])
		b.WriteString(lx.src[lx.pos : lx.pos+1+size])
		lx.advance(2)
		return nil
	}
	if s, ok := simpleEscapes[next]; ok {
		b.WriteString(s)
		lx.advance(2)
		return nil
	}
	switch {
	case next == '\n':
		lx.advance(2)
		return nil
	case next == '\r':
		lx.advance(2)
		if lx.peekByte(0) == '\n' {
			lx.advance(1)
		}
		return nil
	case next >= '0' && next <= '7':
		return lx.octalEscape(b)
	case next == 'x':
		return lx.hexEscape(b, 2, col)
	case next == 'u':
		return lx.hexEscape(b, 4, col)
	case next == 'U':
		return lx.hexEscape(b, 8, col)
	case next == 'N':
		return syntaxErr(col, "named unicode escapes are not supported")
	}
	// Python keeps an unknown escape as written (with a warning).
	b.WriteByte('\\')
	lx.advance(1)
	return nil
}

func (lx *lexer) octalEscape(b *strings.Builder) error {
	lx.advance(1)
	v := 0
	for i := 0; i < 3 && lx.peekByte(0) >= '0' && lx.peekByte(0) <= '7'; i++ {
		v = v*8 + int(lx.peekByte(0)-'0')
		lx.advance(1)
	}
	b.WriteRune(rune(v))
	return nil
}

func (lx *lexer) hexEscape(b *strings.Builder, n int, col int) error {
	if lx.pos+2+n > len(lx.src) {
		return syntaxErr(col, "truncated escape sequence")
	}
	digits := lx.src[lx.pos+2 : lx.pos+2+n]
	v, err := strconv.ParseUint(digits, 16, 32)
	if err != nil {
		return syntaxErr(col, "truncated escape sequence")
	}
	if v > unicode.MaxRune {
		return syntaxErr(col, "illegal unicode character")
	}
	// A lone surrogate is a valid Python str but not valid UTF-8; it becomes
	// U+FFFD, as Go's encoder writes it.
	b.WriteRune(rune(v))
	lx.advance(2 + n)
	return nil
}

// number reads a Python integer or float literal (decimal, 0x, 0o, 0b, with
// underscores between digits).
func (lx *lexer) number() (token, error) {
	start, col := lx.pos, lx.col
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if isDigit(c) || c == '_' || c == '.' || (c|0x20 >= 'a' && c|0x20 <= 'z') {
			lx.advance(1)
			if (c|0x20 == 'e') && (lx.peekByte(0) == '+' || lx.peekByte(0) == '-') && !strings.HasPrefix(strings.ToLower(lx.src[start:]), "0x") {
				lx.advance(1)
			}
			continue
		}
		break
	}
	return parseNumber(lx.src[start:lx.pos], col)
}

func parseNumber(text string, col int) (token, error) {
	if strings.HasPrefix(text, "_") || strings.HasSuffix(text, "_") || strings.Contains(text, "__") {
		return token{}, syntaxErr(col, "invalid number literal")
	}
	lower := strings.ToLower(text)
	if strings.HasSuffix(lower, "j") {
		return token{}, syntaxErr(col, "imaginary literals are not supported")
	}
	based := len(lower) > 1 && lower[0] == '0' && strings.ContainsAny(lower[1:2], "xob")
	if based || !strings.ContainsAny(lower, ".e") {
		return intToken(lower, col)
	}
	f, err := strconv.ParseFloat(lower, 64)
	if err != nil && !isRangeErr(err) {
		return token{}, syntaxErr(col, "invalid number literal")
	}
	if strings.Contains(lower, "_.") || strings.Contains(lower, "._") || strings.Contains(lower, "_e") || strings.Contains(lower, "e_") {
		return token{}, syntaxErr(col, "invalid number literal")
	}
	return token{kind: tFloat, fval: f, col: col}, nil
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// intToken reads a Python integer literal with strconv, whose base
// prefixes (0x, 0o, 0b) and underscores between digits are Python's; only
// a leading zero, which Go reads as octal, needs a look first.
func intToken(text string, col int) (token, error) {
	if d := strings.ReplaceAll(text, "_", ""); len(d) > 1 && d[0] == '0' && isDigit(d[1]) && strings.Trim(d, "0") != "" {
		return token{}, syntaxErr(col, "leading zeros in decimal integer literals are not permitted")
	}
	u, err := strconv.ParseUint(text, 0, 64)
	if err != nil {
		if isRangeErr(err) {
			return token{}, syntaxErr(col, "integer literal too large")
		}
		return token{}, syntaxErr(col, "invalid number literal")
	}
	if u > math.MaxInt64 {
		return token{}, syntaxErr(col, "integer literal too large")
	}
	return token{kind: tInt, ival: int64(u), col: col}, nil
}
