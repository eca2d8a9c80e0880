package httpapi

import (
	"net/http"

	"github.com/kycsdk/kyc"
)

// route is one operation of the API: its method and pattern (relative to
// the handler's root), the path parameters that hold ids, the Service
// operations it performs (what the permission test derives its expected
// answers from) and whether it writes a versioned profile (If-Match).
type route struct {
	method, path string
	ids          []string
	ops          []kyc.Operation
	ifMatch      bool
	serve        func(*call) error
}

const (
	pid = "id"
	cid = "comment"
)

// routes lists the API. The seed-003 resources sit under /profiles, the
// seed-002 client API under /clients, the change feed for pull consumers
// under /changes.
func routes() []route {
	id := []string{pid}
	return []route{
		{http.MethodGet, "/profiles", nil, ops(kyc.OpList), false, listProfiles},
		{http.MethodPost, "/profiles", nil, ops(kyc.OpCreate), false, createProfile},
		{http.MethodGet, "/profiles/{id}", id, ops(kyc.OpGet), false, getProfile},
		{http.MethodPatch, "/profiles/{id}", id, ops(kyc.OpGet, kyc.OpUpdate), true, patchProfile},
		{http.MethodDelete, "/profiles/{id}", id, ops(kyc.OpDelete, kyc.OpGet), true, deleteProfile},

		{http.MethodGet, "/profiles/{id}/transitions", id, ops(kyc.OpTransitions), false, transitions},
		{http.MethodPost, "/profiles/{id}/transitions", id, ops(kyc.OpTransition, kyc.OpGet), true, transition},

		{http.MethodGet, "/profiles/{id}/comments", id, ops(kyc.OpComments), false, listComments},
		{http.MethodPost, "/profiles/{id}/comments", id, ops(kyc.OpAddComment), false, addComment},
		{http.MethodPatch, "/profiles/{id}/comments/{comment}", []string{pid, cid}, ops(kyc.OpEditComment), false, editComment},
		{http.MethodDelete, "/profiles/{id}/comments/{comment}", []string{pid, cid}, ops(kyc.OpDeleteComment), false, deleteComment},

		{http.MethodGet, "/profiles/{id}/summary", id, ops(kyc.OpSummary), false, summary},
		{http.MethodGet, "/profiles/{id}/research", id, ops(kyc.OpResearch), false, research},

		{http.MethodGet, "/profiles/{id}/history", id, ops(kyc.OpHistory), false, historyPage},
		{http.MethodGet, "/profiles/{id}/versions/{version}", id, ops(kyc.OpVersion), false, version},
		{http.MethodPost, "/profiles/{id}/revert", id, ops(kyc.OpRevert, kyc.OpVersion), true, revert},

		{http.MethodPost, "/profiles/{id}/risk/assessment", id, ops(kyc.OpAssessRisk, kyc.OpGet), true, assessRisk},
		{http.MethodPost, "/profiles/{id}/risk/injection", id, ops(kyc.OpInjectRisk, kyc.OpGet), true, injectRisk},
		{http.MethodPost, "/profiles/{id}/transactional", id, ops(kyc.OpAssessRisk, kyc.OpGet), true, transactional},

		{http.MethodGet, "/profiles/{id}/verification/plan", id, ops(kyc.OpPlanVerification), false, planVerification},
		{http.MethodGet, "/profiles/{id}/verification/evaluation", id, ops(kyc.OpEvaluateVerification), false, evaluateVerification},
		{http.MethodPost, "/profiles/{id}/verification/checks", id, ops(kyc.OpRecordCheckResult, kyc.OpGet), true, recordCheck},
		{http.MethodPost, "/profiles/{id}/verification/entity-profile", id, ops(kyc.OpAssignEntityProfile, kyc.OpGet), true, assignEntityProfile},
		{http.MethodPost, "/profiles/{id}/verification/reverification-clearance", id, ops(kyc.OpClearReverification, kyc.OpGet), true, clearReverification},

		{http.MethodPost, "/profiles/{id}/screenings", id, ops(kyc.OpRecordScreening, kyc.OpGet), true, recordScreening},
		{http.MethodPost, "/profiles/{id}/screenings/hit-clearance", id, ops(kyc.OpClearConfirmedHit, kyc.OpGet), true, clearHit},
		{http.MethodPost, "/profiles/{id}/cases", id, ops(kyc.OpOpenCase, kyc.OpGet), true, openCase},
		{http.MethodPost, "/profiles/{id}/cases/close", id, ops(kyc.OpCloseCase, kyc.OpGet), true, closeCase},
		{http.MethodPost, "/profiles/{id}/reviews", id, ops(kyc.OpCompleteReview, kyc.OpGet), true, completeReview},

		{http.MethodGet, "/profiles/{id}/due", id, ops(kyc.OpDueWork), false, dueWork},
		{http.MethodGet, "/due", nil, ops(kyc.OpDueWork), false, dueList},
		{http.MethodGet, "/profiles/{id}/owners", id, ops(kyc.OpGet), false, owners},

		{http.MethodPost, "/clients", nil, ops(kyc.OpCreate), false, createClient},
		{http.MethodGet, "/clients", nil, ops(kyc.OpList), false, listClients},
		{http.MethodGet, "/clients/{id}", id, ops(kyc.OpGet), false, getClient},
		{http.MethodPatch, "/clients/{id}", id, ops(kyc.OpGet, kyc.OpUpdate), true, patchClient},

		{http.MethodGet, "/changes", nil, ops(kyc.OpChanges), false, changes},
	}
}

func ops(o ...kyc.Operation) []kyc.Operation { return o }
