package kyc

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Resource is what a permission is about: the resources of seed 003, 3.6
// (dprofile_profile, dprofile_comment, dprofile_state, dprofile_summary,
// dprofile_websearch) and the facts the library records, each under a
// resource of its own so that a tenant can grant them separately.
type Resource string

// The resources of the default policy.
const (
	ResourceProfile   Resource = "dprofile_profile"
	ResourceComment   Resource = "dprofile_comment"
	ResourceState     Resource = "dprofile_state"
	ResourceSummary   Resource = "dprofile_summary"
	ResourceWebsearch Resource = "dprofile_websearch"
	ResourceHistory   Resource = "history"
	// ResourceRisk is a risk assessment by the configured matrix.
	ResourceRisk Resource = "risk"
	// ResourceRiskInjection is a risk level set by an outside system
	// (seed 003, 3.1.1: risk "may be injected by an external system").
	ResourceRiskInjection Resource = "risk_injection"
	// ResourceVerification covers verification plans, check results, the
	// recipe assignment and clearing pending re-verification.
	ResourceVerification Resource = "verification"
	// ResourceReverificationOverride lets one Update choose its own
	// re-verification mode.
	ResourceReverificationOverride Resource = "reverification_override"
	// ResourceScreening is recording watchlist screening results.
	ResourceScreening Resource = "screening"
	// ResourceScreeningClearance is withdrawing a confirmed watchlist hit,
	// which only a supervisor may do by default.
	ResourceScreeningClearance Resource = "screening_clearance"
	// ResourceCases is opening and closing alert cases.
	ResourceCases Resource = "cases"
	// ResourceReview is the due-diligence review: reading a customer's
	// due work, completing a review.
	ResourceReview Resource = "review"
	// ResourceImport is bringing in profiles from another system with
	// their state, dates and results (a migration).
	ResourceImport Resource = "import"
	// ResourceDelete is deleting a profile whose retention period has run.
	ResourceDelete Resource = "delete"
	// ResourceForcedDelete is deleting a profile while its retention
	// period still runs.
	ResourceForcedDelete Resource = "forced_delete"
	// ResourceFeed is the tenant's change feed: what changed, by whom and
	// when, never a value (Service.Changes).
	ResourceFeed Resource = "feed"
)

// Access is reading or writing a resource.
type Access string

// The two kinds of access.
const (
	Read  Access = "read"
	Write Access = "write"
)

// Permission is one access to one resource, written "resource:access".
type Permission struct {
	Resource Resource
	Access   Access
}

// String returns "resource:access".
func (p Permission) String() string { return string(p.Resource) + ":" + string(p.Access) }

// ParsePermission reads "resource:access".
func ParsePermission(s string) (Permission, error) {
	res, acc, ok := strings.Cut(s, ":")
	p := Permission{Resource: Resource(res), Access: Access(acc)}
	if !ok || res == "" || (p.Access != Read && p.Access != Write) {
		return Permission{}, fmt.Errorf("%w: permission must be resource:read or resource:write", ErrInvalidInput)
	}
	return p, nil
}

// Operation names one thing the Service does; every Service method
// performs one or more operations, each checked against the policy before
// any I/O. Revert also needs OpVersion (it shows an old version); Update
// with UpdateOptions.Reverification also needs OpOverrideReverification;
// Create with an entity_profile also needs OpAssignEntityProfile; Delete
// with Force is OpForcedDelete instead of OpDelete.
type Operation string

// The operations of the Service and the permission each needs (see
// Operations).
const (
	OpCreate                 Operation = "create"
	OpGet                    Operation = "get"
	OpList                   Operation = "list"
	OpUpdate                 Operation = "update"
	OpRevert                 Operation = "revert"
	OpImport                 Operation = "import"
	OpDelete                 Operation = "delete"
	OpForcedDelete           Operation = "forced_delete"
	OpTransitions            Operation = "transitions"
	OpTransition             Operation = "transition"
	OpHistory                Operation = "history"
	OpVersion                Operation = "version"
	OpAssessRisk             Operation = "assess_risk"
	OpInjectRisk             Operation = "inject_risk"
	OpAssignEntityProfile    Operation = "assign_entity_profile"
	OpPlanVerification       Operation = "plan_verification"
	OpEvaluateVerification   Operation = "evaluate_verification"
	OpRecordCheckResult      Operation = "record_check_result"
	OpClearReverification    Operation = "clear_reverification"
	OpOverrideReverification Operation = "override_reverification"
	OpRecordScreening        Operation = "record_screening"
	OpClearConfirmedHit      Operation = "clear_confirmed_hit"
	OpOpenCase               Operation = "open_case"
	OpCloseCase              Operation = "close_case"
	OpCompleteReview         Operation = "complete_review"
	OpDueWork                Operation = "due_work"
	OpSweepDue               Operation = "sweep_due"
	OpRescreenWalk           Operation = "rescreen_walk"
	OpComments               Operation = "comments"
	OpAddComment             Operation = "add_comment"
	OpEditComment            Operation = "edit_comment"
	OpDeleteComment          Operation = "delete_comment"
	OpSummary                Operation = "summary"
	OpResearch               Operation = "research"
	OpChanges                Operation = "changes"
)

// operations is the fixed table from operation to permission. It is a
// function so that no caller can change it under everyone else.
func operations() map[Operation]Permission {
	return map[Operation]Permission{
		OpCreate:                 {ResourceProfile, Write},
		OpGet:                    {ResourceProfile, Read},
		OpList:                   {ResourceProfile, Read},
		OpUpdate:                 {ResourceProfile, Write},
		OpRevert:                 {ResourceProfile, Write},
		OpImport:                 {ResourceImport, Write},
		OpDelete:                 {ResourceDelete, Write},
		OpForcedDelete:           {ResourceForcedDelete, Write},
		OpTransitions:            {ResourceState, Read},
		OpTransition:             {ResourceState, Write},
		OpHistory:                {ResourceHistory, Read},
		OpVersion:                {ResourceHistory, Read},
		OpAssessRisk:             {ResourceRisk, Write},
		OpInjectRisk:             {ResourceRiskInjection, Write},
		OpAssignEntityProfile:    {ResourceVerification, Write},
		OpPlanVerification:       {ResourceVerification, Read},
		OpEvaluateVerification:   {ResourceVerification, Read},
		OpRecordCheckResult:      {ResourceVerification, Write},
		OpClearReverification:    {ResourceVerification, Write},
		OpOverrideReverification: {ResourceReverificationOverride, Write},
		OpRecordScreening:        {ResourceScreening, Write},
		OpClearConfirmedHit:      {ResourceScreeningClearance, Write},
		OpOpenCase:               {ResourceCases, Write},
		OpCloseCase:              {ResourceCases, Write},
		OpCompleteReview:         {ResourceReview, Write},
		OpDueWork:                {ResourceReview, Read},
		OpSweepDue:               {ResourceReview, Write},
		OpRescreenWalk:           {ResourceScreening, Read},
		OpComments:               {ResourceComment, Read},
		OpAddComment:             {ResourceComment, Write},
		OpEditComment:            {ResourceComment, Write},
		OpDeleteComment:          {ResourceComment, Write},
		OpSummary:                {ResourceSummary, Read},
		OpResearch:               {ResourceWebsearch, Read},
		OpChanges:                {ResourceFeed, Read},
	}
}

// Operations returns the permission each operation needs. The table is
// fixed; what a tenant chooses is which scopes grant which permissions
// (Policy).
func Operations() map[Operation]Permission { return operations() }

// The scopes of the default policy. The first two are seed 003's (3.3.2
// uses tenant_backoffice_supervisor; 3.3.1 tenant_aml_operator); the
// watcher is the read-only scope of 3.4.
const (
	ScopeAMLOperator = "tenant_aml_operator"
	ScopeSupervisor  = "tenant_backoffice_supervisor"
	ScopeWatcher     = DefaultWatcherScope
)

// Policy says which permissions each scope grants. An operator may do an
// operation when any of its scopes grants the operation's permission. A
// Policy is immutable once built and safe for concurrent use.
type Policy struct {
	grants map[string]map[Permission]bool
	// watcher scopes may never write, whatever another entry grants them.
	readOnly map[string]bool
}

// NewPolicy builds a policy from scope -> permissions ("resource:access").
// Every permission must be one that some operation needs. A readOnly scope
// withdraws every write permission from whoever holds it, whatever their
// other scopes grant.
func NewPolicy(grants map[string][]string, readOnly ...string) (*Policy, error) {
	known := make(map[Permission]bool)
	for _, p := range operations() {
		known[p] = true
	}
	pol := &Policy{grants: make(map[string]map[Permission]bool, len(grants)), readOnly: map[string]bool{}}
	var problems []string
	for _, scope := range slices.Sorted(maps.Keys(grants)) {
		if strings.TrimSpace(scope) == "" {
			problems = append(problems, "a scope name is empty")
			continue
		}
		set := make(map[Permission]bool)
		for i, text := range grants[scope] {
			p, err := ParsePermission(text)
			if err != nil || !known[p] {
				problems = append(problems, fmt.Sprintf("%s[%d]: no operation needs this permission", scope, i))
				continue
			}
			set[p] = true
		}
		pol.grants[scope] = set
	}
	for _, scope := range readOnly {
		pol.readOnly[scope] = true
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: policy: %s", ErrInvalidInput, strings.Join(problems, "; "))
	}
	return pol, nil
}

// DefaultPolicy returns the documented default:
//
//   - tenant_watcher reads everything and writes nothing;
//   - tenant_aml_operator reads everything and does the daily work: create
//     and edit profiles, move them, comment, assess risk, run and record
//     checks, record screening results, open and close cases;
//   - tenant_backoffice_supervisor may do all of that and what needs a
//     second, senior person: inject a risk level, withdraw a confirmed
//     watchlist hit, complete a due-diligence review, choose the
//     re-verification mode of one update, import, and delete (forced or
//     after retention).
//
// An operator with none of these scopes may do nothing.
func DefaultPolicy() *Policy {
	var reads []string
	for _, p := range operations() {
		if p.Access == Read {
			reads = append(reads, p.String())
		}
	}
	slices.Sort(reads)
	reads = slices.Compact(reads)
	operator := append(slices.Clone(reads),
		"dprofile_profile:write", "dprofile_comment:write", "dprofile_state:write",
		"risk:write", "verification:write", "screening:write", "cases:write")
	supervisor := append(slices.Clone(operator),
		"risk_injection:write", "screening_clearance:write", "review:write",
		"reverification_override:write", "import:write", "delete:write", "forced_delete:write")
	p, err := NewPolicy(map[string][]string{
		ScopeWatcher:     reads,
		ScopeAMLOperator: operator,
		ScopeSupervisor:  supervisor,
	}, ScopeWatcher)
	if err != nil {
		panic(err) // the default is tested; this cannot happen
	}
	return p
}

// Allows reports whether scopes hold perm. A read-only scope (the default
// policy's watcher) withdraws every write, so that adding the watcher scope
// to an operator makes it a watcher, as seed 003, 3.4 describes.
func (p *Policy) Allows(scopes []string, perm Permission) bool {
	if perm.Access == Write {
		for _, s := range scopes {
			if p.readOnly[s] {
				return false
			}
		}
	}
	return p.grantedBy(scopes, perm) != ""
}

// grantedBy returns the first of scopes that grants perm, or "" (no
// policy has a scope of that name: NewPolicy refuses it).
func (p *Policy) grantedBy(scopes []string, perm Permission) string {
	for _, s := range scopes {
		if p.grants[s][perm] {
			return s
		}
	}
	return ""
}

// Grants returns the permissions scope grants, sorted.
func (p *Policy) Grants(scope string) []string {
	var out []string
	for perm := range p.grants[scope] {
		out = append(out, perm.String())
	}
	slices.Sort(out)
	return out
}

// authorize checks the operator and that the policy lets it do every one of
// ops. It does no I/O, so a refusal costs nothing and changes nothing.
func (s *Service) authorize(op Operator, ops ...Operation) error {
	if s.refusal != nil {
		return s.refusal
	}
	if err := checkOperator(op); err != nil {
		return err
	}
	for _, o := range ops {
		perm, ok := s.operations[o]
		if !ok || !s.permissions.Allows(op.Scopes, perm) {
			return &ForbiddenError{Operation: o, Permission: perm}
		}
	}
	return nil
}
