package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kycsdk/kyc"
	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
	"github.com/kycsdk/kyc/storage"
)

// transitionsBody answers GET /profiles/{id}/transitions: the open moves
// and, for each closed one, its condition and why it is closed.
type transitionsBody struct {
	State  string       `json:"state"`
	Open   []string     `json:"open"`
	Closed []closedMove `json:"closed"`
}

type closedMove struct {
	To        string `json:"to"`
	Condition string `json:"condition,omitempty"`
	Reason    string `json:"reason"`
}

func transitions(c *call) error {
	a, err := c.h.svc.Transitions(c.r.Context(), c.op, c.r.PathValue(pid))
	if err != nil {
		return err
	}
	b := transitionsBody{State: a.State, Open: nonNil(a.Open), Closed: []closedMove{}}
	for _, r := range a.Closed {
		b.Closed = append(b.Closed, closedMove{To: r.Dest, Condition: r.Condition, Reason: refusalReason(r.Reason)})
	}
	return c.writeJSON(http.StatusOK, b)
}

func transition(c *call) error {
	var in struct {
		To string `json:"to"`
	}
	if err := c.factInput(&in, kyc.OpTransition); err != nil {
		return err
	}
	if in.To == "" {
		return invalidField("/to", "required", "the destination state")
	}
	return c.profileResult(c.writer().Transition(c.r.Context(), c.op, c.r.PathValue(pid), in.To))
}

// factInput authorizes a fact operation, checks If-Match and reads its
// small JSON body.
func (c *call) factInput(v any, o ...kyc.Operation) error {
	if err := c.h.svc.Authorize(c.r.Context(), c.op, o...); err != nil {
		return err
	}
	if _, err := ifMatch(c.r); err != nil {
		return err
	}
	body, err := c.h.readBody(c.w, c.r, mediaJSON)
	if err != nil {
		return err
	}
	if err := decode(body, v); err != nil {
		return err
	}
	return c.precondition(o...)
}

func (c *call) profileResult(p *profile.Profile, err error) error {
	if err != nil {
		return c.conflict(err)
	}
	return c.writeProfile(http.StatusOK, p)
}

type commentInput struct {
	Body string `json:"body"`
}

func listComments(c *call) error {
	cs, err := c.h.svc.Comments(c.r.Context(), c.op, c.r.PathValue(pid))
	if err != nil {
		return err
	}
	return c.writeJSON(http.StatusOK, map[string]any{"comments": nonNil(cs)})
}

func (c *call) comment(o kyc.Operation) (string, error) {
	if err := c.h.svc.Authorize(c.r.Context(), c.op, o); err != nil {
		return "", err
	}
	body, err := c.h.readBody(c.w, c.r, mediaJSON)
	if err != nil {
		return "", err
	}
	var in commentInput
	if err := decode(body, &in); err != nil {
		return "", err
	}
	if in.Body == "" {
		return "", invalidField("/body", "required", "the comment's rich text")
	}
	return in.Body, nil
}

func addComment(c *call) error {
	body, err := c.comment(kyc.OpAddComment)
	if err != nil {
		return err
	}
	v, err := c.h.svc.AddComment(c.r.Context(), c.op, c.r.PathValue(pid), body)
	if err != nil {
		return err
	}
	c.w.Header().Set("Location", "comments/"+v.ID)
	return c.writeJSON(http.StatusCreated, v)
}

func editComment(c *call) error {
	body, err := c.comment(kyc.OpEditComment)
	if err != nil {
		return err
	}
	v, err := c.h.svc.EditComment(c.r.Context(), c.op, c.r.PathValue(pid), c.r.PathValue(cid), body)
	if err != nil {
		return err
	}
	return c.writeJSON(http.StatusOK, v)
}

func deleteComment(c *call) error {
	if err := c.h.svc.DeleteComment(c.r.Context(), c.op, c.r.PathValue(pid), c.r.PathValue(cid)); err != nil {
		return err
	}
	return c.noContent()
}

func summary(c *call) error {
	return c.answer(c.h.svc.Summary(c.r.Context(), c.op, c.r.PathValue(pid)))
}

func research(c *call) error {
	qs, err := c.h.svc.ResearchQueries(c.r.Context(), c.op, c.r.PathValue(pid))
	if err != nil {
		return err
	}
	return c.writeJSON(http.StatusOK, map[string]any{"queries": nonNil(qs)})
}

// historyBody answers GET /profiles/{id}/history.
type historyBody struct {
	Entries    any      `json:"entries"`
	Page       pageBody `json:"page"`
	NextCursor string   `json:"nextCursor,omitempty"`
}

func historyPage(c *call) error {
	q := storage.HistoryQuery{Cursor: c.r.URL.Query().Get("cursor")}
	switch c.r.URL.Query().Get("order") {
	case "", "asc":
	case "desc":
		q.NewestFirst = true
	default:
		return invalidField("order", "enum", "asc or desc")
	}
	var err error
	if q.Size, err = queryInt(c.r, "size"); err != nil {
		return err
	}
	if q.Number, err = queryInt(c.r, "page"); err != nil {
		return err
	}
	page, err := c.h.svc.History(c.r.Context(), c.op, c.r.PathValue(pid), q)
	if err != nil {
		return err
	}
	return c.writeJSON(http.StatusOK, historyBody{Entries: nonNil(page.Entries), Page: pageOf(page.PageInfo), NextCursor: page.NextCursor})
}

func version(c *call) error {
	n, err := strconv.Atoi(c.r.PathValue("version"))
	if err != nil || n < 1 {
		return invalidField("version", "type", "a version number from 1")
	}
	return c.profileResult(c.h.svc.Version(c.r.Context(), c.op, c.r.PathValue(pid), n))
}

func revert(c *call) error {
	var in struct {
		Version int `json:"version"`
	}
	if err := c.factInput(&in, kyc.OpRevert, kyc.OpVersion); err != nil {
		return err
	}
	if in.Version < 1 {
		return invalidField("/version", "required", "a version number from 1")
	}
	// Revert checks the If-Match version against the version it reads, and
	// its store write refuses a version that moved after that read.
	return c.profileResult(c.h.svc.Revert(c.r.Context(), c.op, c.r.PathValue(pid), in.Version, c.expect))
}

func assessRisk(c *call) error {
	if err := c.precondition(kyc.OpAssessRisk); err != nil {
		return err
	}
	return c.answer(c.writer().AssessRisk(c.r.Context(), c.op, c.r.PathValue(pid)))
}

func transactional(c *call) error {
	if err := c.precondition(kyc.OpAssessRisk); err != nil {
		return err
	}
	return c.answer(c.writer().Transactional(c.r.Context(), c.op, c.r.PathValue(pid)))
}

func injectRisk(c *call) error {
	var in struct {
		Level  string `json:"level"`
		Source string `json:"source"`
	}
	if err := c.factInput(&in, kyc.OpInjectRisk); err != nil {
		return err
	}
	return c.profileResult(c.writer().InjectRisk(c.r.Context(), c.op, c.r.PathValue(pid), in.Level, in.Source))
}

func planVerification(c *call) error {
	return c.answer(c.h.svc.PlanVerification(c.r.Context(), c.op, c.r.PathValue(pid), c.r.URL.Query()["type"]...))
}

func evaluateVerification(c *call) error {
	return c.answer(c.h.svc.EvaluateVerification(c.r.Context(), c.op, c.r.PathValue(pid), c.r.URL.Query()["type"]...))
}

// checkInput is a check result as a verification service returned it.
type checkInput struct {
	ID          string            `json:"id"`
	Type        string            `json:"type"`
	Outcome     string            `json:"outcome"`
	Matched     []string          `json:"matched"`
	Source      string            `json:"source"`
	PerformedAt profile.Timestamp `json:"performed_at"`
}

func recordCheck(c *call) error {
	var in checkInput
	if err := c.factInput(&in, kyc.OpRecordCheckResult); err != nil {
		return err
	}
	res := entityprofile.Result{ID: in.ID, Type: in.Type, Outcome: in.Outcome, Matched: in.Matched, Source: in.Source}
	if in.PerformedAt != 0 {
		res.PerformedAt = time.UnixMilli(int64(in.PerformedAt)).UTC()
	}
	chk, err := c.writer().RecordCheckResult(c.r.Context(), c.op, c.r.PathValue(pid), res)
	if err != nil {
		return c.conflict(err)
	}
	return c.writeJSON(http.StatusCreated, chk)
}

func assignEntityProfile(c *call) error {
	var in struct {
		Name string `json:"name"`
	}
	if err := c.factInput(&in, kyc.OpAssignEntityProfile); err != nil {
		return err
	}
	return c.profileResult(c.writer().AssignEntityProfile(c.r.Context(), c.op, c.r.PathValue(pid), in.Name))
}

func clearReverification(c *call) error {
	var in struct {
		Paths []string `json:"paths"`
	}
	if err := c.factInput(&in, kyc.OpClearReverification); err != nil {
		return err
	}
	return c.profileResult(c.writer().ClearReverification(c.r.Context(), c.op, c.r.PathValue(pid), in.Paths...))
}

func recordScreening(c *call) error {
	var in struct {
		Lists map[string]profile.ListHit `json:"lists"`
	}
	if err := c.factInput(&in, kyc.OpRecordScreening); err != nil {
		return err
	}
	return c.profileResult(c.writer().RecordScreening(c.r.Context(), c.op, c.r.PathValue(pid), kyc.Screening{Lists: in.Lists}))
}

type reasonInput struct {
	Reason string `json:"reason"`
}

func clearHit(c *call) error {
	var in struct {
		List   string `json:"list"`
		Reason string `json:"reason"`
	}
	if err := c.factInput(&in, kyc.OpClearConfirmedHit); err != nil {
		return err
	}
	return c.profileResult(c.writer().ClearConfirmedHit(c.r.Context(), c.op, c.r.PathValue(pid), in.List, in.Reason))
}

func openCase(c *call) error {
	var in reasonInput
	if err := c.factInput(&in, kyc.OpOpenCase); err != nil {
		return err
	}
	return c.profileResult(c.writer().OpenCase(c.r.Context(), c.op, c.r.PathValue(pid), in.Reason))
}

func closeCase(c *call) error {
	var in reasonInput
	if err := c.factInput(&in, kyc.OpCloseCase); err != nil {
		return err
	}
	return c.profileResult(c.writer().CloseCase(c.r.Context(), c.op, c.r.PathValue(pid), in.Reason))
}

func completeReview(c *call) error {
	var in struct {
		Outcome string `json:"outcome"`
		Notes   string `json:"notes"`
	}
	if err := c.factInput(&in, kyc.OpCompleteReview); err != nil {
		return err
	}
	return c.profileResult(c.writer().CompleteReview(c.r.Context(), c.op, c.r.PathValue(pid), kyc.Review{Outcome: in.Outcome, Notes: in.Notes}))
}

func dueWork(c *call) error {
	return c.answer(c.h.svc.DueWork(c.r.Context(), c.op, c.r.PathValue(pid)))
}

func dueList(c *call) error {
	before, err := queryTime(c.r, "before")
	if err != nil {
		return err
	}
	t := c.h.opts.Clock()
	if before != 0 {
		t = time.UnixMilli(int64(before))
	}
	size, err := queryInt(c.r, "size")
	if err != nil {
		return err
	}
	page, err := c.h.svc.DueList(c.r.Context(), c.op, t, c.r.URL.Query().Get("cursor"), size)
	if err != nil {
		return err
	}
	page.Items = nonNil(page.Items)
	return c.writeJSON(http.StatusOK, page)
}

func owners(c *call) error {
	return c.answer(c.h.svc.BeneficialOwners(c.r.Context(), c.op, c.r.PathValue(pid), ownership.Options{}))
}
