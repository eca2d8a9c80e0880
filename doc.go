// Package kyc is an embeddable library for the domain logic of
// know-your-customer (KYC) profiles: the canonical digital profile of each
// natural or legal person, the field-change rules that say which edits need
// re-verification, review workflows, explainable risk assessment,
// verification recipes, and a full, replayable audit history of every change.
//
// Start from Service: New(store, Options) ties the packages together, and
// every call takes a context and the acting Operator (tenant, user, scopes).
// Each tenant's rules may be a JSON document (LoadTenantConfig,
// TenantConfigSchema), and one Service may serve many tenants
// (Options.Tenants): every call then applies its operator's tenant's rules
// and its history entries name the configuration's version.
//
// Three rules make what the Service reports trustworthy:
//
//   - Facts change only through their operations. What the library
//     computes or records (state, version, check results, risk and its
//     time, watchlist screening and its time, open cases, pending
//     re-verification, due-diligence dates, the assigned recipe; see
//     SystemFields) is never written by Update, Revert or Create: Update
//     and Create refuse such a change with a *ReadOnlyError naming every
//     path and store nothing; Revert keeps the current values. Each fact has its operation (Transition,
//     RecordCheckResult, AssessRisk, InjectRisk, RecordScreening,
//     ClearConfirmedHit, OpenCase, CloseCase, CompleteReview,
//     AssignEntityProfile, ClearReverification), which writes who, when and
//     why into the history entry; Import brings in another system's facts
//     under a permission of its own and records that it did.
//   - Every operation is permitted or refused by one Policy over the
//     operator's scopes, before any I/O (DefaultPolicy documents the
//     default roles); a refusal is a *ForbiddenError and changes nothing.
//   - Four eyes: a workflow state compiled with workflow.WithFourEyes
//     (pending_approval in workflow.MakerChecker) cannot be left by a user
//     who moved the profile into it or changed it since, as the history
//     shows.
//
// The field-change (re-KYC) policy applies once a customer is verified
// (Options.VerifiedStates, read from the history as well): onboarding edits
// are free.
//
// The packages, from the bottom up:
//
//   - profile: the digital profile, its JSON wire format, normalisation,
//     validation, metadata schemas, relation types, field-change rules;
//     profile/interop imports and exports the other profile shapes.
//   - history: dictdiffer-compatible diff, patch and revert, audit entries,
//     rebuilding any past version.
//   - workflow: state machines loaded from JSON with Python-like conditions
//     over the profile and the operator's scopes; Mermaid and DOT output.
//   - riskmatrix: parametrised, explainable risk assessment and the
//     transactional profile.
//   - entityprofile: verification recipes, result ageing, minimum matches,
//     reuse of still-valid results.
//   - storage: the Store interface; storage/memory, storage/sqlstore
//     (SQLite, the embedded default, and PostgreSQL) implement it, and
//     storage/storagetest is the conformance suite they all pass.
//
// A Service is safe for concurrent use; so are the compiled workflows, risk
// matrices and entity-profile registries it holds. Profiles are plain values.
package kyc
