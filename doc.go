// Package kyc is an embeddable library for the domain logic of
// know-your-customer (KYC) profiles: the canonical digital profile of each
// natural or legal person, the field-change rules that say which edits need
// re-verification, review workflows, explainable risk assessment,
// verification recipes, and a full, replayable audit history of every change.
//
// Start from Service: New(store, Options) ties the packages together, and
// every call takes a context and the acting Operator (tenant, user, scopes).
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
