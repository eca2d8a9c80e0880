package kyc

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/kycsdk/kyc/entityprofile"
	"github.com/kycsdk/kyc/fieldchange"
	"github.com/kycsdk/kyc/internal/jsonconfig"
	"github.com/kycsdk/kyc/profile"
	"github.com/kycsdk/kyc/profile/ownership"
	"github.com/kycsdk/kyc/review"
	"github.com/kycsdk/kyc/riskmatrix"
	"github.com/kycsdk/kyc/workflow"
)

// MaxTenantConfigBytes bounds a tenant configuration document: a document
// past it is refused before it is parsed.
const MaxTenantConfigBytes = 4 << 20

// maxVersionLen bounds the configuration version every history entry
// carries.
const maxVersionLen = 64

// TenantConfig is one tenant's rules, compiled from its configuration
// document by LoadTenantConfig (the document's format is
// TenantConfigSchema). A part the document leaves out is nil (or zero),
// which Options turns into the library's default. A TenantConfig is
// safe for concurrent use and must not be changed once a Service uses it:
// to change a tenant's rules, load a new one and replace it (Tenants.Set),
// which Services notice by the pointer.
type TenantConfig struct {
	// Version names this configuration in every history entry made under
	// it (history.Entry.Config): the document's "version", else
	// "sha256:" and the first 12 hex digits of the document's SHA-256, so
	// that two different documents never share a version by accident.
	Version string
	// Description is the document's free text.
	Description    string
	Workflow       *workflow.Workflow
	InitialState   string
	MetadataSchema *profile.MetadataSchema
	Relations      *profile.RelationTypes
	// Ownership is ownership.DefaultRegistry with the document's
	// "ownership" entries, which say what the tenant's own relation types
	// carry (a "shareholder" type carrying ownership); nil when the
	// document has none, and the Service's Options.Ownership applies.
	Ownership *ownership.Registry
	// Activities and Taxes are the tenant's catalogues of economic
	// activities and taxes (seed 003, 3.1.4-3.1.5); nil means any code.
	Activities     *Catalogue
	Taxes          *Catalogue
	RiskLevels     []string
	RiskMatrix     *riskmatrix.Matrix
	EntityProfiles *entityprofile.Registry
	ChangePolicy   *fieldchange.Policy
	Reverification ReverificationMode
	Policy         *Policy
	ReviewPolicy   *review.Policy
	EndStates      []string
	VerifiedStates []string
	SearchEngines  []SearchEngine
}

// Options returns the Options of a Service that applies c: the fields c
// configures, the others zero (their defaults). The Service-wide settings
// (clock, ids, logger, hook) are the caller's to add.
func (c *TenantConfig) Options() Options {
	return Options{
		Workflow:       c.Workflow,
		InitialState:   c.InitialState,
		ChangePolicy:   c.ChangePolicy,
		Reverification: c.Reverification,
		Relations:      c.Relations,
		Ownership:      c.Ownership,
		MetadataSchema: c.MetadataSchema,
		RiskLevels:     slices.Clone(c.RiskLevels),
		RiskMatrix:     c.RiskMatrix,
		EntityProfiles: c.EntityProfiles,
		ReviewPolicy:   c.ReviewPolicy,
		SearchEngines:  slices.Clone(c.SearchEngines),
		Policy:         c.Policy,
		VerifiedStates: slices.Clone(c.VerifiedStates),
		EndStates:      slices.Clone(c.EndStates),
		Activities:     c.Activities,
		Taxes:          c.Taxes,
	}
}

// tenantDoc is the document's top level. Every part is kept raw and
// decoded on its own, so that a problem in one part does not hide the
// problems of the others.
type tenantDoc struct {
	Schema         jsontext.Value `json:"$schema"`
	Version        jsontext.Value `json:"version"`
	Description    jsontext.Value `json:"description"`
	Workflow       jsontext.Value `json:"workflow"`
	FourEyesStates jsontext.Value `json:"four_eyes_states"`
	InitialState   jsontext.Value `json:"initial_state"`
	MetadataSchema jsontext.Value `json:"metadata_schema"`
	RelationTypes  jsontext.Value `json:"relation_types"`
	Ownership      jsontext.Value `json:"ownership"`
	Activities     jsontext.Value `json:"activities"`
	Taxes          jsontext.Value `json:"taxes"`
	RiskLevels     jsontext.Value `json:"risk_levels"`
	RiskMatrix     jsontext.Value `json:"risk_matrix"`
	EntityProfiles jsontext.Value `json:"entity_profiles"`
	ChangePolicy   jsontext.Value `json:"change_policy"`
	Reverification jsontext.Value `json:"reverification"`
	Permissions    jsontext.Value `json:"permissions"`
	ReviewPolicy   jsontext.Value `json:"review_policy"`
	EndStates      jsontext.Value `json:"end_states"`
	VerifiedStates jsontext.Value `json:"verified_states"`
	SearchEngines  jsontext.Value `json:"search_engines"`
}

// Workflow presets a document may name instead of listing transitions.
const (
	WorkflowPresetDefault      = "default"
	WorkflowPresetMakerChecker = "maker_checker"
)

// LoadTenantConfig compiles a tenant configuration document (see
// TenantConfigSchema for its format). Every part is optional: one left
// out takes the library's default. The whole document is checked at once:
// the error is a *ConfigError (errors.Is ErrInvalidConfig) listing every
// problem with its JSON path ("risk_matrix.thresholds[1].level",
// "workflow[3]") and what is wrong, never a value of the document beyond
// the names of states, levels and codes it declares.
func LoadTenantConfig(data []byte) (*TenantConfig, error) {
	if len(data) > MaxTenantConfigBytes {
		return nil, &ConfigError{Problems: []ConfigProblem{{Message: fmt.Sprintf("the document is %d bytes, over the limit of %d", len(data), MaxTenantConfigBytes)}}}
	}
	var doc tenantDoc
	if err := jsonconfig.Decode(data, &doc); err != nil {
		return nil, &ConfigError{Problems: []ConfigProblem{problemOf("", err)}}
	}
	l := &loader{c: &TenantConfig{}}
	l.part("$schema", doc.Schema, new(string))
	l.loadVersion(doc.Version, data)
	l.part("description", doc.Description, &l.c.Description)
	l.loadWorkflow(doc.Workflow, doc.FourEyesStates)
	l.loadStates(doc.InitialState, doc.EndStates, doc.VerifiedStates)
	l.loadMetadata(doc.MetadataSchema)
	l.loadRelations(doc.RelationTypes)
	l.loadOwnership(doc.Ownership)
	l.c.Activities = l.loadCatalogue("activities", doc.Activities)
	l.c.Taxes = l.loadCatalogue("taxes", doc.Taxes)
	l.loadRisk(doc.RiskLevels, doc.RiskMatrix)
	l.loadEntityProfiles(doc.EntityProfiles)
	l.loadChangePolicy(doc.ChangePolicy)
	l.loadReverification(doc.Reverification)
	l.loadPermissions(doc.Permissions)
	l.loadReview(doc.ReviewPolicy)
	l.loadSearchEngines(doc.SearchEngines)
	if len(l.problems) > 0 {
		return nil, &ConfigError{Problems: l.problems}
	}
	return l.c, nil
}

type loader struct {
	c        *TenantConfig
	problems []ConfigProblem
	// badWorkflow: the document's workflow did not compile, so states
	// are not checked against one; badRisk: its risk levels or matrix did
	// not load, so levels are not checked against them.
	badWorkflow, badRisk bool
}

func (l *loader) add(path, format string, args ...any) {
	l.problems = append(l.problems, ConfigProblem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// join writes a path inside a part after the part's name.
func join(prefix, path string) string {
	switch {
	case path == "":
		return prefix
	case prefix == "":
		return path
	case path[0] == '[':
		return prefix + path
	}
	return prefix + "." + path
}

// problemOf turns a decoding error of the part at prefix into a problem.
func problemOf(prefix string, err error) ConfigProblem {
	var de *jsonconfig.Error
	if errors.As(err, &de) {
		return ConfigProblem{Path: join(prefix, de.Path), Message: de.Problem}
	}
	return ConfigProblem{Path: prefix, Message: "does not decode"}
}

// part decodes the part at path into v, reporting a problem; ok is false
// when the document leaves the part out or it does not decode.
func (l *loader) part(path string, raw jsontext.Value, v any) (ok bool) {
	if !l.given(path, raw) {
		return false
	}
	if err := jsonconfig.Decode(raw, v); err != nil {
		l.problems = append(l.problems, problemOf(path, err))
		return false
	}
	return true
}

// given reports whether the document gives the part at path, which a null
// does not: it is reported.
func (l *loader) given(path string, raw jsontext.Value) bool {
	if len(raw) > 0 && raw.Kind() == 'n' {
		l.add(path, "is null: leave the key out for the default")
		return false
	}
	return len(raw) > 0
}

func (l *loader) loadVersion(raw jsontext.Value, data []byte) {
	if l.part("version", raw, &l.c.Version) {
		switch {
		case l.c.Version == "":
			l.add("version", "is empty: leave it out for a version computed from the document")
		case len(l.c.Version) > maxVersionLen:
			l.add("version", "is longer than %d bytes", maxVersionLen)
		case !cleanName(l.c.Version):
			l.add("version", "must be valid UTF-8 without control characters or surrounding white space")
		}
		return
	}
	sum := sha256.Sum256(data)
	l.c.Version = "sha256:" + hex.EncodeToString(sum[:6])
}

// cleanName reports whether s can be written in a history entry, a log
// line or an error without rewriting it.
func cleanName(s string) bool {
	return utf8.ValidString(s) && strings.TrimSpace(s) == s && !strings.ContainsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
	})
}

func (l *loader) loadWorkflow(raw, fourEyesRaw jsontext.Value) {
	var fourEyes []string
	l.part("four_eyes_states", fourEyesRaw, &fourEyes)
	var opts []workflow.Option
	if len(fourEyes) > 0 {
		opts = append(opts, workflow.WithFourEyes(fourEyes...))
	}
	if len(raw) == 0 {
		if len(fourEyes) > 0 {
			l.add("four_eyes_states", "needs a workflow: name one or list its transitions")
		}
		return
	}
	l.badWorkflow = true // until it compiles
	var src []byte
	if raw.Kind() == '"' {
		var name string
		l.part("workflow", raw, &name)
		switch name {
		case WorkflowPresetDefault:
			src = workflow.DefaultJSON()
		case WorkflowPresetMakerChecker:
			src = workflow.MakerCheckerJSON()
			// The seed's supervisor approval is a four-eyes step.
			if len(fourEyes) == 0 {
				opts = append(opts, workflow.WithFourEyes("pending_approval"))
			}
		default:
			l.add("workflow", "names no workflow: want %q, %q or a list of transitions", WorkflowPresetDefault, WorkflowPresetMakerChecker)
			return
		}
	} else {
		src = raw
	}
	var ts []workflow.Transition
	if !l.part("workflow", src, &ts) {
		return
	}
	w, err := workflow.New(ts, opts...)
	if err != nil {
		var ce *workflow.CompileError
		if !errors.As(err, &ce) {
			l.add("workflow", "does not compile")
			return
		}
		for _, p := range ce.Problems {
			msg := p.Msg
			if p.Column > 0 {
				msg += " at column " + strconv.Itoa(p.Column)
			}
			path := "workflow"
			if p.Transition >= 0 {
				path = "workflow[" + strconv.Itoa(p.Transition) + "]"
			} else if len(fourEyes) > 0 && strings.Contains(msg, "four") {
				path = "four_eyes_states"
			}
			l.add(path, "%s", msg)
		}
		return
	}
	l.c.Workflow, l.badWorkflow = w, false
}

func (l *loader) loadStates(initialRaw, endRaw, verifiedRaw jsontext.Value) {
	states := workflow.Default().States()
	if l.c.Workflow != nil {
		states = l.c.Workflow.States()
	}
	known := func(path, st string) {
		if !l.badWorkflow && !slices.Contains(states, st) {
			l.add(path, "%q is not a state of the workflow", st)
		}
	}
	if l.part("initial_state", initialRaw, &l.c.InitialState) {
		known("initial_state", l.c.InitialState)
	}
	if l.part("end_states", endRaw, &l.c.EndStates) {
		for i, st := range l.c.EndStates {
			known("end_states["+strconv.Itoa(i)+"]", st)
		}
	}
	if l.part("verified_states", verifiedRaw, &l.c.VerifiedStates) {
		for i, st := range l.c.VerifiedStates {
			known("verified_states["+strconv.Itoa(i)+"]", st)
		}
	}
}

func (l *loader) loadMetadata(raw jsontext.Value) {
	if len(raw) == 0 {
		return
	}
	if raw.Kind() != '{' && raw.Kind() != 't' && raw.Kind() != 'f' {
		l.add("metadata_schema", "wrong type, want a JSON Schema (an object or a boolean)")
		return
	}
	s, err := profile.CompileMetadataSchema(raw)
	if err != nil {
		l.add("metadata_schema", "is not a usable JSON Schema: %s", strings.TrimPrefix(err.Error(), "profile: "))
		return
	}
	l.c.MetadataSchema = s
}

func (l *loader) loadRelations(raw jsontext.Value) {
	var types []string
	if !l.part("relation_types", raw, &types) {
		return
	}
	base := profile.DefaultRelationTypes()
	ok := true
	for i, t := range types {
		if _, err := base.With(t); err != nil {
			l.add("relation_types["+strconv.Itoa(i)+"]", "is not a snake_case key (lower-case letters and digits joined by single underscores)")
			ok = false
		}
	}
	if ok {
		r, err := base.With(types...)
		if err != nil {
			l.add("relation_types", "%s", err)
			return
		}
		l.c.Relations = r
	}
}

// ownershipEntry is what the document says a relation type carries.
type ownershipEntry struct {
	Ownership      bool   `json:"ownership"`
	Control        bool   `json:"control"`
	DefaultControl string `json:"default_control"`
}

// loadOwnership adds the document's entries to the default registry of
// what relation types carry. Each must be a relation type of the tenant
// (the defaults and its relation_types), so that a misspelt type is not
// silently left carrying nothing.
func (l *loader) loadOwnership(raw jsontext.Value) {
	var entries map[string]ownershipEntry
	if !l.part("ownership", raw, &entries) {
		return
	}
	types := cmp.Or(l.c.Relations, profile.DefaultRelationTypes())
	reg := ownership.DefaultRegistry()
	ok := true
	for _, t := range slices.Sorted(maps.Keys(entries)) {
		e, path := entries[t], "ownership."+t
		switch {
		case !types.Has(t):
			l.add(path, "is not a relation type of the tenant (the defaults and relation_types)")
		case !e.Ownership && !e.Control:
			l.add(path, "carries neither ownership nor control: leave it out")
		default:
			// t is a relation type, so a snake_case key: the registry
			// refuses only a default control kind that is unknown or on a
			// type that carries no control.
			next, err := reg.With(t, ownership.Carries{Ownership: e.Ownership, Control: e.Control, DefaultControl: e.DefaultControl})
			if err != nil {
				l.add(path+".default_control", "must be one of %s, on a type that carries control", strings.Join(ownership.ControlKinds(), ", "))
				break
			}
			reg = next
			continue
		}
		ok = false
	}
	if ok {
		l.c.Ownership = reg
	}
}

func (l *loader) loadCatalogue(path string, raw jsontext.Value) *Catalogue {
	var entries []CatalogueEntry
	if !l.part(path, raw, &entries) {
		return nil
	}
	c, problems := newCatalogue(entries)
	for _, p := range problems {
		l.problems = append(l.problems, ConfigProblem{Path: join(path, p.Path), Message: p.Message})
	}
	if len(problems) > 0 {
		return nil
	}
	return c
}

func (l *loader) loadRisk(levelsRaw, matrixRaw jsontext.Value) {
	before := len(l.problems)
	defer func() { l.badRisk = len(l.problems) > before }()
	var levels []string
	if len(levelsRaw) > 0 && levelsRaw.Kind() == '"' {
		var name string
		if l.part("risk_levels", levelsRaw, &name) {
			var ok bool
			if levels, ok = riskmatrix.Preset(name); !ok {
				l.add("risk_levels", "names no preset: want %q, %q or a list of levels", riskmatrix.PresetDigitalProfile, riskmatrix.PresetClient)
			}
		}
	} else if l.part("risk_levels", levelsRaw, &levels) {
		l.checkLevels(levels)
	}
	l.c.RiskLevels = levels
	if len(matrixRaw) == 0 {
		return
	}
	if matrixRaw.Kind() != '{' {
		l.add("risk_matrix", "wrong type, want an object")
		return
	}
	m, err := riskmatrix.Load(matrixRaw)
	if err != nil {
		var me *riskmatrix.MatrixError
		if !errors.As(err, &me) {
			l.add("risk_matrix", "does not load")
			return
		}
		for _, p := range me.Problems {
			l.add(join("risk_matrix", p.Path), "%s", p.Message)
		}
		return
	}
	l.c.RiskMatrix = m
	if levels != nil && !slices.Equal(levels, m.Levels()) {
		l.add("risk_levels", "differ from the levels of the risk matrix: leave them out to use the matrix's")
	}
}

func (l *loader) checkLevels(levels []string) {
	if len(levels) == 0 {
		l.add("risk_levels", "is empty: leave it out for low, medium, high")
	}
	seen := map[string]bool{}
	for i, lv := range levels {
		path := "risk_levels[" + strconv.Itoa(i) + "]"
		switch {
		case lv == "" || !cleanName(lv):
			l.add(path, "must be a non-empty name without control characters or surrounding white space")
		case seen[lv]:
			l.add(path, "%q is listed twice", lv)
		}
		seen[lv] = true
	}
}

// levels are the risk levels the tenant's profiles use.
func (l *loader) levels() []string {
	switch {
	case l.c.RiskLevels != nil:
		return l.c.RiskLevels
	case l.c.RiskMatrix != nil:
		return l.c.RiskMatrix.Levels()
	}
	return profile.DefaultRiskLevels()
}

func (l *loader) loadEntityProfiles(raw jsontext.Value) {
	var cfg entityprofile.Config
	if !l.part("entity_profiles", raw, &cfg) {
		return
	}
	r, err := entityprofile.NewRegistry(cfg)
	if err != nil {
		var ce *entityprofile.ConfigError
		if !errors.As(err, &ce) {
			l.add("entity_profiles", "does not load")
			return
		}
		for _, p := range ce.Problems {
			l.add(join("entity_profiles", p.Path), "%s", p.Message)
		}
		return
	}
	l.c.EntityProfiles = r
}

func (l *loader) loadChangePolicy(raw jsontext.Value) {
	if !l.given("change_policy", raw) {
		return
	}
	p, err := fieldchange.Load(raw)
	if err != nil {
		var pe *fieldchange.PolicyError
		if !errors.As(err, &pe) {
			l.add("change_policy", "does not load")
			return
		}
		for _, p := range pe.Problems {
			path := join("change_policy", p.At)
			if p.Rule >= 0 {
				path = "change_policy.rules[" + strconv.Itoa(p.Rule) + "]"
			}
			msg := p.Message
			if p.Path != "" {
				msg = "path " + strconv.Quote(p.Path) + ": " + msg
			}
			l.add(path, "%s", msg)
		}
		return
	}
	l.c.ChangePolicy = p
}

func (l *loader) loadReverification(raw jsontext.Value) {
	var mode string
	if !l.part("reverification", raw, &mode) {
		return
	}
	switch mode {
	case "refuse":
		l.c.Reverification = Refuse
	case "flag":
		l.c.Reverification = Flag
	default:
		l.add("reverification", `must be "refuse" or "flag"`)
	}
}

// policyDoc is the JSON form of a permission Policy: each scope's
// permissions ("resource:access") and the read-only scopes.
type policyDoc struct {
	Grants   map[string][]string `json:"grants"`
	ReadOnly []string            `json:"read_only"`
}

func (l *loader) loadPermissions(raw jsontext.Value) {
	p, problems := loadPolicy(raw)
	for _, pr := range problems {
		l.problems = append(l.problems, ConfigProblem{Path: join("permissions", pr.Path), Message: pr.Message})
	}
	l.c.Policy = p
}

func (l *loader) loadReview(raw jsontext.Value) {
	if !l.given("review_policy", raw) {
		return
	}
	var levels []string // any level, when the tenant's did not load
	if !l.badRisk {
		levels = l.levels()
	}
	p, err := review.Load(raw, levels)
	if err != nil {
		var pe *review.PolicyError
		if !errors.As(err, &pe) {
			l.add("review_policy", "does not load")
			return
		}
		for _, p := range pe.Problems {
			l.add(join("review_policy", p.Path), "%s", p.Message)
		}
		return
	}
	l.c.ReviewPolicy = p
}

// searchEngineDoc is the JSON form of a SearchEngine.
type searchEngineDoc struct {
	Name     string `json:"name"`
	Template string `json:"template"`
}

func (l *loader) loadSearchEngines(raw jsontext.Value) {
	var docs []searchEngineDoc
	if !l.part("search_engines", raw, &docs) {
		return
	}
	engines := make([]SearchEngine, 0, len(docs))
	seen := map[string]bool{}
	for i, d := range docs {
		path := "search_engines[" + strconv.Itoa(i) + "]"
		switch {
		case d.Name == "" || !cleanName(d.Name):
			l.add(path+".name", "must be a non-empty name without control characters or surrounding white space")
		case seen[d.Name]:
			l.add(path+".name", "%q is listed twice", d.Name)
		}
		seen[d.Name] = true
		u, err := url.Parse(strings.ReplaceAll(d.Template, "{query}", "q"))
		switch {
		case strings.Count(d.Template, "{query}") != 1:
			l.add(path+".template", `must hold "{query}" once`)
		case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
			l.add(path+".template", "must be an absolute http or https URL")
		}
		engines = append(engines, SearchEngine{Name: d.Name, Template: d.Template})
	}
	l.c.SearchEngines = engines
}
