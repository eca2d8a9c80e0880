package kyc

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/fieldchange"
	"github.com/kycsdk/kyc/history"
	"github.com/kycsdk/kyc/internal/ids"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
	"github.com/kycsdk/kyc/review"
	"github.com/kycsdk/kyc/riskmatrix"
	"github.com/kycsdk/kyc/storage"
	"github.com/kycsdk/kyc/workflow"
)

// ReverificationMode says what Update does with a change that the
// field-change policy says needs KYC re-verification.
type ReverificationMode uint8

const (
	// Refuse returns a *ReverificationError carrying the report and saves
	// nothing: the change goes through the onboarding (KYC) flow instead, as
	// seed 000's field-change guide describes. It is the default.
	Refuse ReverificationMode = iota
	// Flag saves the change and lists the paths that need re-verification
	// in Profile.PendingReverification, which verification planning picks
	// up.
	Flag
)

// Options configure a Service. The zero value of every field is a
// documented default, so Options{} is a working configuration.
type Options struct {
	// Workflow moves profiles between states; default workflow.Default(),
	// the default workflow of seed 003, 3.3.1.
	Workflow *workflow.Workflow
	// InitialState is the state of a new profile; default the workflow's
	// initial state (Workflow.Initial: "creating" in the default workflow).
	// It must be a state of the workflow, so that a new profile can move.
	InitialState string
	// ChangePolicy says which edits need re-verification; default
	// fieldchange.Default(), the table of seed 000.
	ChangePolicy *fieldchange.Policy
	// Reverification is what Update does with such edits; default Refuse.
	Reverification ReverificationMode
	// Relations are the relation types a profile may use; default
	// profile.DefaultRelationTypes().
	Relations *profile.RelationTypes
	// MetadataSchema, when set, validates Profile.Metadata.
	MetadataSchema *profile.MetadataSchema
	// RiskLevels are the accepted values of Profile.Risk; default the
	// levels of the risk matrix, else low, medium, high.
	RiskLevels []string
	// RiskMatrix assesses risk; AssessRisk needs it.
	RiskMatrix *riskmatrix.Matrix
	// EntityProfiles are the verification recipes; the verification
	// methods need them.
	EntityProfiles *entityprofile.Registry
	// Ownership says which relation types carry ownership and control
	// facts, which Create and Update validate; default
	// ownership.DefaultRegistry.
	Ownership *ownership.Registry
	// ReviewPolicy says when customers are due for ongoing due diligence
	// (DueWork); default review.DefaultPolicy of the risk levels.
	ReviewPolicy *review.Policy
	// NoStoredDueWork stops the Service from computing and storing each
	// profile's due work on every commit: DueList then finds nothing and
	// DueWork computes from the history each time. For a deployment that
	// schedules reviews elsewhere, and for the benchmark that prices the
	// computation (BenchmarkUpdateDueWork).
	NoStoredDueWork bool
	// Clock gives the time; default time.Now.
	Clock func() time.Time
	// IDs gives new ids for profiles, entries and comments; default an
	// RFC 9562 version 7 UUID (github.com/google/uuid), so that ids sort by
	// creation time.
	IDs func() string
	// Logger, when set, receives one line per operation with the tenant,
	// operator, profile id, version and outcome, never personal values.
	Logger *slog.Logger
	// OnEvent, when set, is called after every committed change,
	// best-effort (see Hook); the change feed (Service.Changes) is what
	// nothing loses.
	OnEvent Hook
	// SearchEngines are the engines of ResearchQueries; default
	// DefaultSearchEngines().
	SearchEngines []SearchEngine
	// MaxCommentBytes bounds a comment's rich text; default 64 KiB, at most
	// storage.MaxCommentBytes.
	MaxCommentBytes int
	// Policy says which scopes may do which operation; default
	// DefaultPolicy().
	Policy *Policy
	// VerifiedStates are the workflow states of a verified customer: the
	// field-change policy applies to a profile that is in one of them or
	// has ever been (read from its history); before that, onboarding edits
	// are free. Default: "active".
	VerifiedStates []string
	// EndStates are the workflow states in which the business
	// relationship is over: Delete counts the retention period from a
	// profile's last change in one of them, and refuses (without Force)
	// to delete a profile in any other state. Each must be a state of the
	// workflow. Default: DefaultEndStates().
	EndStates []string
	// Activities and Taxes, when set, are the tenant's catalogues of
	// economic activities and taxes (seed 003, 3.1.4-3.1.5): Create,
	// Update, Revert and Import refuse a code that is not in them.
	Activities *Catalogue
	Taxes      *Catalogue
	// Tenants, when set, gives tenants configurations of their own: every
	// call uses its operator's tenant's rules (TenantConfig), and the
	// fields above are the rules of a tenant without one, unless Tenants
	// refuses such tenants. The clock, ids, logger, hook, comment limit
	// and NoStoredDueWork are shared by every tenant. Validate, which
	// names no operator, applies the fields above.
	Tenants *Tenants
	// ConfigVersion, when set, names these Options in every history entry
	// made under them (history.Entry.Config), as a tenant configuration's
	// version does, so that an auditor can tell which rules applied.
	ConfigVersion string
}

// DefaultEndStates returns the default Options.EndStates: the states of
// seed 003's default workflow (section 3.3.1) that end the business
// relationship, inactive and banned. The slice is new on every call, so
// that no caller can change the rule of every Service.
func DefaultEndStates() []string { return []string{"inactive", "banned"} }

// DefaultWatcherScope is the read-only scope of the default policy: it
// reads every profile and comment and writes nothing (seed 003, 3.4).
const DefaultWatcherScope = "tenant_watcher"

// DefaultMaxCommentBytes is the default Options.MaxCommentBytes.
const DefaultMaxCommentBytes = 64 << 10

// Service is the entry point of the library: it keeps profiles in a Store
// and applies validation, field-change rules, history, workflows, risk
// assessment, verification recipes and comment permissions on every call.
//
// A Service is safe for concurrent use. Concurrent updates of one profile are
// serialised by the store's optimistic concurrency: the loser gets
// storage.ErrConflict and re-reads.
type Service struct {
	store     storage.Store
	wf        *workflow.Workflow
	initial   string
	policy    *fieldchange.Policy
	mode      ReverificationMode
	validator *profile.Validator
	matrix    *riskmatrix.Matrix
	entities  *entityprofile.Registry
	reviews   *review.Policy
	noDue     bool
	ownership *ownership.Registry
	now       func() time.Time
	newID     func() string
	logger    *slog.Logger
	hook      Hook
	engines   []SearchEngine
	maxBody   int

	permissions *Policy
	operations  map[Operation]Permission
	verified    map[string]bool
	ended       []string
	activities  *Catalogue
	taxes       *Catalogue

	// The per-tenant layer (tenantservice.go): the registry, the options
	// tenants' Services share, and each tenant's Service once built. A
	// tenant's Service has no registry, carries the version of its
	// configuration and, for a refused tenant, the refusal.
	tenants *Tenants
	shared  Options
	built   *sync.Map // tenant -> *tenantService; shared by Expect's copies
	config  string
	refusal error

	// expect, when not zero, is the version a fact write must find stored
	// (Expect).
	expect int
}

// New returns a Service over store with opts, filling in the defaults.
func New(store storage.Store, opts Options) (*Service, error) {
	if store == nil {
		return nil, fmt.Errorf("%w: nil store", ErrInvalidInput)
	}
	s := &Service{
		store:    store,
		wf:       cmp.Or(opts.Workflow, workflow.Default()),
		initial:  opts.InitialState,
		policy:   cmp.Or(opts.ChangePolicy, fieldchange.Default()),
		mode:     opts.Reverification,
		matrix:   opts.RiskMatrix,
		entities: opts.EntityProfiles,
		noDue:    opts.NoStoredDueWork,
		now:      opts.Clock,
		newID:    opts.IDs,
		logger:   opts.Logger,
		hook:     opts.OnEvent,
		engines:  opts.SearchEngines,
		maxBody:  opts.MaxCommentBytes,

		permissions: opts.Policy,
		operations:  operations(),
		verified:    map[string]bool{},
		activities:  opts.Activities,
		taxes:       opts.Taxes,
		tenants:     opts.Tenants,
		built:       new(sync.Map),
		shared:      sharedOptions(opts),
		config:      opts.ConfigVersion,
	}
	if s.permissions == nil {
		s.permissions = DefaultPolicy()
	}
	verified := opts.VerifiedStates
	if verified == nil {
		verified = []string{"active"}
	}
	for _, st := range verified {
		s.verified[st] = true
	}
	s.initial = cmp.Or(s.initial, s.wf.Initial())
	states := s.wf.States()
	if !slices.Contains(states, s.initial) {
		return nil, fmt.Errorf("%w: initial state %q is not a state of the workflow", ErrInvalidInput, s.initial)
	}
	if s.ended = slices.Clone(opts.EndStates); s.ended == nil {
		s.ended = DefaultEndStates()
	}
	for _, st := range opts.EndStates {
		if !slices.Contains(states, st) {
			return nil, fmt.Errorf("%w: end state %q is not a state of the workflow", ErrInvalidInput, st)
		}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.newID == nil {
		s.newID = ids.NewV7
	}
	if s.engines == nil {
		s.engines = DefaultSearchEngines()
	}
	if s.maxBody <= 0 || s.maxBody > storage.MaxCommentBytes {
		s.maxBody = min(DefaultMaxCommentBytes, storage.MaxCommentBytes)
	}
	levels := opts.RiskLevels
	if levels == nil && s.matrix != nil {
		levels = s.matrix.Levels()
	}
	s.ownership = cmp.Or(opts.Ownership, ownership.DefaultRegistry())
	reviewLevels := levels
	if reviewLevels == nil {
		reviewLevels = profile.DefaultRiskLevels()
	}
	s.reviews = opts.ReviewPolicy
	if s.reviews == nil {
		s.reviews = review.DefaultPolicy(reviewLevels)
	} else if err := s.reviews.Check(reviewLevels); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	s.validator = profile.NewValidator(profile.Options{
		Relations:  opts.Relations,
		Metadata:   opts.MetadataSchema,
		RiskLevels: levels,
		Now:        s.now,
	})
	return s, nil
}

// Validate normalises a copy of p and validates it as Create and Update
// would, without storing anything. It returns the normalised copy. It
// reads nothing stored, so it needs no operator; references to other
// profiles are checked by Create and Update.
func (s *Service) Validate(p *profile.Profile) (*profile.Profile, error) {
	c, err := copyOf(p)
	if err != nil {
		return nil, err
	}
	c.Normalize()
	problems, err := problemsOf(s.validator.Validate(c))
	if err != nil {
		return c, err
	}
	if problems = append(problems, catalogueProblems(s.activities, s.taxes, c)...); len(problems) > 0 {
		return c, &profile.ValidationError{Problems: problems}
	}
	return c, nil
}

// problemsOf returns the problems of a *profile.ValidationError, and any
// other error as it is. The nil error returns at once: the target of
// errors.As is allocated, and a valid profile, the usual case, needs none.
func problemsOf(err error) ([]profile.Problem, error) {
	if err == nil {
		return nil, nil
	}
	var ve *profile.ValidationError
	if errors.As(err, &ve) {
		return ve.Problems, nil
	}
	return nil, err
}

// document returns the profile as a decoded JSON value (numbers exact), the
// form history diffs are computed on.
func document(p *profile.Profile) (any, error) {
	b, err := profile.Encode(p)
	if err != nil {
		return nil, fmt.Errorf("kyc: encode profile: %w", err)
	}
	return decodeJSON(b)
}

// bookkeeping are the fields every save sets; a diff touching only them
// means the profile did not change.
var bookkeeping = map[string]bool{"version": true, "modified_at": true, "modified_by": true}

func onlyBookkeeping(changes history.Changes) bool {
	for _, c := range changes {
		if c.Op != history.OpChange || len(c.Path) != 1 {
			return false
		}
		if key, ok := c.Path[0].(string); !ok || !bookkeeping[key] {
			return false
		}
	}
	return true
}

func (s *Service) stamp() profile.Timestamp { return profile.TimestampOf(s.now()) }

// log writes one line per operation: ids, versions and the outcome only.
// Error texts of every package of this module are free of personal data.
func (s *Service) log(ctx context.Context, msg, tenant, user, id string, version int, err error) {
	if s.logger == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("tenant", tenant),
		slog.String("operator", user),
		slog.String("profile_id", id),
		slog.Int("version", version),
	}
	if err != nil {
		attrs = append(attrs, slog.String("outcome", "error"), slog.String("error", err.Error()))
		s.logger.LogAttrs(ctx, slog.LevelWarn, msg, attrs...)
		return
	}
	attrs = append(attrs, slog.String("outcome", "ok"))
	s.logger.LogAttrs(ctx, slog.LevelInfo, msg, attrs...)
}
