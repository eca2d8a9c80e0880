package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Media types of request and response bodies.
const (
	mediaJSON         = "application/json"
	mediaMergePatch   = "application/merge-patch+json"
	mediaProblem      = "application/problem+json"
	maxIDBytes        = 256
	maxIdempotencyKey = 255
)

// readBody checks the Content-Type against accepted, then reads the body
// under the size limit and checks its nesting depth, before anything decodes
// it: a body over a limit costs its reading only.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request, accepted ...string) ([]byte, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || !slices.Contains(accepted, mt) {
		return nil, problem(http.StatusUnsupportedMediaType, KindMediaType, "the body must be "+strings.Join(accepted, " or "))
	}
	body, perr := h.readLimited(w, r)
	if perr != nil {
		return nil, perr
	}
	if !utf8.Valid(body) {
		return nil, invalidField("", "encoding", "the body is not UTF-8")
	}
	if depth(body) > h.opts.MaxDepth {
		return nil, badRequest("the JSON body is nested deeper than " + strconv.Itoa(h.opts.MaxDepth))
	}
	return body, nil
}

// readLimited reads the body under MaxBodyBytes.
func (h *Handler) readLimited(w http.ResponseWriter, r *http.Request) ([]byte, *Problem) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, problem(http.StatusRequestEntityTooLarge, KindTooLarge, "the body is over "+strconv.FormatInt(h.opts.MaxBodyBytes, 10)+" bytes")
	case err != nil:
		return nil, badRequest("the body could not be read in time")
	}
	return body, nil
}

// decode reads a small request object strictly: unknown members and
// duplicate keys are refused, with the JSON pointer of the offending value.
func decode(body []byte, v any) error {
	err := json.Unmarshal(body, v, json.RejectUnknownMembers(true))
	if err == nil {
		return nil
	}
	var (
		sem *json.SemanticError
		syn *jsontext.SyntacticError
	)
	switch {
	case errors.As(err, &syn):
		return invalidField(parent(string(syn.JSONPointer)), "syntax", "malformed JSON at byte "+strconv.FormatInt(syn.ByteOffset, 10))
	case errors.As(err, &sem):
		if errors.Is(err, json.ErrUnknownName) {
			return invalidField(parent(string(sem.JSONPointer)), "unknown_field", "an object with a member this operation does not take")
		}
		return invalidField(string(sem.JSONPointer), "type", "wrong JSON type")
	}
	return badRequest("malformed JSON")
}

// depth returns the deepest nesting of objects and arrays in a JSON text,
// counting brackets outside strings. It reads bytes only, so a hostile
// body is bounded before any decoder builds values from it.
func depth(b []byte) int {
	d, most, inString := 0, 0, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '{', '[':
			d++
			most = max(most, d)
		case '}', ']':
			d--
		}
	}
	return most
}

// checkID refuses a path id that no store could hold: empty, over
// maxIDBytes, not UTF-8, or holding control characters, slashes or dot
// segments. The message names the parameter, never the value.
func checkID(name, id string) error {
	ok := id != "" && len(id) <= maxIDBytes && utf8.ValidString(id) && id != "." && id != ".."
	for _, r := range id {
		if r < 0x20 || r == 0x7f || r == '/' || r == '\\' || (r >= 0x80 && r < 0xa0) {
			ok = false
			break
		}
	}
	if !ok {
		return invalidField(name, "invalid_id", "not a valid id")
	}
	return nil
}

// ifMatch reads the version a write is based on from If-Match: 428 when
// missing, 400 when it is not one strong ETag this handler made.
func ifMatch(r *http.Request) (int, error) {
	v := r.Header.Get("If-Match")
	if v == "" {
		return 0, problem(http.StatusPreconditionRequired, KindPreconditionReq, "a write needs If-Match with the ETag of the version it is based on")
	}
	n, ok := parseETag(v)
	if !ok {
		return 0, problem(http.StatusPreconditionFailed, KindPrecondition, "If-Match names no version of this resource")
	}
	return n, nil
}

func etag(version int) string { return `"` + strconv.Itoa(version) + `"` }

func parseETag(v string) (int, bool) {
	v = strings.TrimSpace(v)
	if len(v) < 3 || v[0] != '"' || v[len(v)-1] != '"' {
		return 0, false
	}
	n, err := strconv.Atoi(v[1 : len(v)-1])
	if err != nil || n < 1 || strconv.Itoa(n) != v[1:len(v)-1] {
		return 0, false
	}
	return n, true
}
