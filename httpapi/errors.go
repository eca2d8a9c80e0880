package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-json-experiment/json"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/interop"
	"github.com/kycsdk/kyc/profile/ownership"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/workflow"
)

// Kinds of problem, the last part of a problem's type URI
// ("urn:kyc:problem:permission") and its "kind" member, so that a client
// branches on a stable word rather than on a status or a title.
const (
	KindAuthentication  = "authentication"        // 401: the authenticator refused the request
	KindPermission      = "permission"            // 403: the operator's scopes lack the operation's permission
	KindNotFound        = "not_found"             // 404: no such resource in the operator's tenant
	KindMethod          = "method"                // 405: the resource has no such method
	KindConflict        = "conflict"              // 409: the resource is in a state that forbids the request
	KindTransition      = "transition"            // 409: the workflow refuses the move
	KindReverification  = "reverification"        // 409: the change needs KYC re-verification
	KindRetention       = "retention"             // 409: the retention period still runs
	KindPrecondition    = "precondition"          // 412: If-Match names a version that is no longer current
	KindPreconditionReq = "precondition_required" // 428: a write without If-Match
	KindTooLarge        = "too_large"             // 413: the body is over the limit
	KindMediaType       = "media_type"            // 415: the body is not of the accepted media type
	KindValidation      = "validation"            // 422: the profile breaks rules; errors lists them
	KindReadOnly        = "read_only"             // 422: the body sets a field the library owns
	KindBadRequest      = "bad_request"           // 400: malformed JSON, parameter or id
	KindIdempotency     = "idempotency"           // 409 or 422: an Idempotency-Key reused or in flight
	KindBusy            = "busy"                  // 503: too many requests in flight
	KindTimeout         = "timeout"               // 503: the request ran out of time
	KindNotConfigured   = "not_configured"        // 501: the service was built without what the operation needs
	KindInternal        = "internal"              // 500: anything else; the detail is withheld
)

// Problem is an RFC 9457 problem details object, the body of every error
// response (application/problem+json). It carries kinds of problem, JSON
// pointers, operation and permission names and record ids, never a value
// from the request or a stored profile.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	// Kind is the last part of Type.
	Kind string `json:"kind"`
	// Errors lists every problem of a validation failure, each with the
	// JSON pointer of the field in the request body.
	Errors []FieldProblem `json:"errors,omitempty"`
	// Operation and Permission name what a permission refusal refused.
	Operation  string `json:"operation,omitempty"`
	Permission string `json:"permission,omitempty"`
	// Reason is why a workflow move was refused ("no_transition",
	// "condition_false", "condition_error", "four_eyes").
	Reason string `json:"reason,omitempty"`
}

// FieldProblem is one problem with one field: its JSON pointer (RFC 6901)
// in the request body, a stable code and a message for a person.
type FieldProblem struct {
	Pointer string `json:"pointer"`
	Code    string `json:"code,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

// Error returns the problem's kind and title, for a Go caller that meets it
// as an error.
func (p *Problem) Error() string { return "httpapi: " + p.Kind + ": " + p.Title }

func problem(status int, kind, detail string) *Problem {
	return &Problem{
		Type:   "urn:kyc:problem:" + kind,
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
		Kind:   kind,
	}
}

func badRequest(detail string) *Problem {
	return problem(http.StatusBadRequest, KindBadRequest, detail)
}

// invalidField is a 400 naming one field or parameter of the request.
func invalidField(pointer, code, detail string) *Problem {
	p := problem(http.StatusBadRequest, KindBadRequest, "the request has an invalid field")
	p.Errors = []FieldProblem{{Pointer: pointer, Code: code, Detail: detail}}
	return p
}

// problemOf maps an error of the Service, the store or the request reading
// to its problem. Every branch builds the detail from kinds, paths and
// names: error texts from below are never copied in, so that no value can
// leak through a message written elsewhere.
func problemOf(err error) *Problem {
	var (
		pr     *Problem
		forb   *kyc.ForbiddenError
		ro     *kyc.ReadOnlyError
		rev    *kyc.ReverificationError
		val    *profile.ValidationError
		ref    *workflow.RefusedError
		qe     *storage.QueryError
		ret    *storage.RetentionError
		opErr  *kyc.OperatorError
		syn    *profile.SyntaxError
		typ    *profile.TypeError
		unk    *profile.UnknownFieldError
		isyn   *interop.SyntaxError
		ifield *interop.FieldError
		iunm   *interop.UnmappedError
	)
	switch {
	case errors.As(err, &pr):
		return pr
	case errors.As(err, &forb):
		p := problem(http.StatusForbidden, KindPermission, "the operator's scopes do not grant the operation's permission")
		p.Operation, p.Permission = string(forb.Operation), forb.Permission.String()
		if errors.Is(err, workflow.ErrFourEyes) {
			p.Reason = "four_eyes"
		}
		return p
	case errors.Is(err, kyc.ErrForbidden):
		p := problem(http.StatusForbidden, KindPermission, "the operation is refused to this operator")
		if errors.Is(err, workflow.ErrFourEyes) {
			p.Reason = "four_eyes"
		}
		return p
	case errors.As(err, &opErr):
		return problem(http.StatusUnauthorized, KindAuthentication, "the operator lacks "+opErr.Field)
	case errors.As(err, &ro):
		p := problem(http.StatusUnprocessableEntity, KindReadOnly, "the body sets fields the library records through their own operations")
		for _, f := range ro.Fields {
			p.Errors = append(p.Errors, FieldProblem{Pointer: Pointer(f), Code: "read_only"})
		}
		return p
	case errors.As(err, &rev):
		p := problem(http.StatusConflict, KindReverification, "the change needs KYC re-verification")
		for _, c := range rev.Report.Changes {
			if !c.Reverify {
				continue
			}
			p.Errors = append(p.Errors, FieldProblem{Pointer: Pointer(c.Path), Code: "reverification"})
		}
		return p
	case errors.As(err, &val):
		p := problem(http.StatusUnprocessableEntity, KindValidation, "the profile breaks validation rules")
		for _, v := range val.Problems {
			p.Errors = append(p.Errors, FieldProblem{Pointer: Pointer(v.Path), Code: v.Code, Detail: v.Message})
		}
		return p
	case errors.As(err, &ref):
		p := problem(http.StatusConflict, KindTransition, "the workflow refuses the move")
		p.Reason = refusalReason(ref.Reason)
		return p
	case errors.As(err, &syn):
		return invalidField(parent(Pointer(syn.Path)), "syntax", "malformed JSON at line "+strconv.Itoa(syn.Line)+", column "+strconv.Itoa(syn.Column))
	case errors.As(err, &typ):
		return invalidField(Pointer(typ.Path), "type", "expected "+typ.Expected)
	case errors.As(err, &unk):
		p := badRequest("the body has members the profile does not know")
		for _, k := range unk.Keys {
			p.Errors = append(p.Errors, FieldProblem{Pointer: parent(Pointer(k)), Code: "unknown_field", Detail: "an object with a member the profile does not know"})
		}
		return p
	case errors.Is(err, profile.ErrTooDeep):
		return badRequest("the JSON body is nested too deep")
	case errors.Is(err, profile.ErrTooLarge), errors.Is(err, storage.ErrTooLarge):
		return problem(http.StatusRequestEntityTooLarge, KindTooLarge, "the body is over the limit")
	case errors.As(err, &isyn):
		return invalidField("", "syntax", "malformed JSON at line "+strconv.Itoa(isyn.Line)+", column "+strconv.Itoa(isyn.Column))
	case errors.As(err, &iunm):
		p := problem(http.StatusUnprocessableEntity, KindValidation, "the client has fields a profile cannot hold")
		for _, u := range iunm.Unmapped {
			p.Errors = append(p.Errors, FieldProblem{Pointer: Pointer(u.Path), Code: "unmapped", Detail: u.Reason})
		}
		return p
	case errors.As(err, &ifield):
		return invalidField(Pointer(ifield.Path), "invalid", kindText(ifield.Err))
	case errors.As(err, &qe):
		return invalidField(queryParam(qe.Field), "invalid", qe.Reason)
	case errors.As(err, &ret):
		return problem(http.StatusConflict, KindRetention, "the profile must be kept while its retention period runs")
	case errors.Is(err, storage.ErrNotFound), errors.Is(err, kyc.ErrNoSuchVersion):
		return problem(http.StatusNotFound, KindNotFound, "no such resource")
	case errors.Is(err, storage.ErrConflict):
		return problem(http.StatusPreconditionFailed, KindPrecondition, "the profile has changed since the version If-Match names")
	case errors.Is(err, storage.ErrExists):
		return problem(http.StatusConflict, KindConflict, "the id is already taken")
	case errors.Is(err, ownership.ErrNotLegalPerson):
		return problem(http.StatusConflict, KindConflict, "beneficial owners are those of a legal person")
	case errors.Is(err, ownership.ErrFanOut), errors.Is(err, ownership.ErrInvalidFacts):
		return problem(http.StatusConflict, KindConflict, "the ownership graph cannot be walked within its limits")
	case errors.Is(err, kyc.ErrNoCase):
		return problem(http.StatusConflict, KindConflict, "the profile has no open case")
	case errors.Is(err, kyc.ErrUnknownTenant):
		return problem(http.StatusForbidden, KindPermission, "the operator's tenant has no configuration on this service")
	case errors.Is(err, kyc.ErrNotConfigured):
		return problem(http.StatusNotImplemented, KindNotConfigured, "the service is not configured for this operation")
	case errors.Is(err, kyc.ErrInvalidInput), errors.Is(err, storage.ErrInvalid):
		return badRequest("an argument is missing or malformed")
	case errors.Is(err, storage.ErrRetryable), errors.Is(err, context.DeadlineExceeded):
		return problem(http.StatusServiceUnavailable, KindTimeout, "the request ran out of time; nothing was changed unless a later read shows it")
	}
	return problem(http.StatusInternalServerError, KindInternal, "")
}

func refusalReason(err error) string {
	var ce *workflow.ConditionError
	switch {
	case errors.Is(err, workflow.ErrNoTransition):
		return "no_transition"
	case errors.Is(err, workflow.ErrConditionFalse):
		return "condition_false"
	case errors.Is(err, workflow.ErrFourEyes):
		return "four_eyes"
	case errors.As(err, &ce):
		return "condition_error"
	}
	return "refused"
}

// kindText names the kind of an interop field problem without its value.
func kindText(err error) string {
	switch {
	case errors.Is(err, interop.ErrMissing):
		return "missing"
	case errors.Is(err, interop.ErrType):
		return "wrong JSON type"
	case errors.Is(err, interop.ErrValue):
		return "value not allowed"
	case errors.Is(err, interop.ErrDate):
		return "not a calendar date"
	}
	return "invalid"
}

// queryParam names the query parameter of a storage.Query field.
func queryParam(field string) string {
	if p, ok := paramOfField[field]; ok {
		return p
	}
	return strings.ToLower(field)
}

// Pointer turns a path of the library's messages ("addresses[1].country",
// a key, or "") into an RFC 6901 JSON pointer ("/addresses/1/country").
func Pointer(path string) string {
	if path == "" {
		return ""
	}
	path = strings.ToValidUTF8(path, "\uFFFD")
	var b strings.Builder
	seg := strings.Builder{}
	flush := func() {
		b.WriteByte('/')
		s := strings.ReplaceAll(seg.String(), "~", "~0")
		b.WriteString(strings.ReplaceAll(s, "/", "~1"))
		seg.Reset()
	}
	for i := 0; i < len(path); i++ {
		switch c := path[i]; c {
		case '.':
			if seg.Len() > 0 || i > 0 && path[i-1] != ']' {
				flush()
			}
		case '[':
			if seg.Len() > 0 || i == 0 || path[i-1] != ']' {
				flush()
			}
			end := strings.IndexByte(path[i:], ']')
			if end < 0 {
				seg.WriteString(path[i:])
				i = len(path)
				continue
			}
			seg.WriteString(path[i+1 : i+end])
			flush()
			i += end
		default:
			seg.WriteByte(c)
		}
	}
	if seg.Len() > 0 || path[len(path)-1] == '.' {
		flush()
	}
	return b.String()
}

// parent drops the last token of a JSON pointer. A key the client wrote
// but the schema does not know (an unknown or repeated member) may be any
// text, a name included: the problem points at the object that holds it,
// never at the key itself.
func parent(pointer string) string {
	if i := strings.LastIndexByte(pointer, '/'); i >= 0 {
		return pointer[:i]
	}
	return ""
}

// writeProblem writes p as application/problem+json.
func writeProblem(w http.ResponseWriter, p *Problem) {
	body, err := json.Marshal(p)
	if err != nil {
		body = []byte(`{"type":"urn:kyc:problem:internal","title":"Internal Server Error","status":500,"kind":"internal"}`)
		p.Status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	w.Write(body)
}
