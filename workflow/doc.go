// Package workflow runs digital profiles through review workflows: state
// machines loaded from the seed's JSON list of {source, dest, condition}
// transitions (seed 003, section 3.3), with conditions written in the
// seed's Python-expression language over `dprofile` (the profile, with
// open_cases) and `context` (the operator's scopes, user and tenant).
// `dprofile` reads as the profile's JSON does, with two differences that
// make Python's answers hold: a list field reads as a list even when empty
// (`'vip' not in dprofile.labels` is True on a profile without labels), and
// the top-level keys the decoder kept in Profile.Unknown read as their
// values (`dprofile.tenant_flag`).
//
// Start from Compile (or the built-in Default and MakerChecker), which
// returns a *Workflow. Ask it what a profile may become with Available, test
// a move with Can or Check, and make it with Apply, which changes only the
// profile's state: the engine keeps no state, the profile carries it, and
// the caller records the change in the profile's history. Mermaid and DOT
// render the workflow as diagrams, writing every state name, label and
// condition as quoted, escaped text under a generated node id, so that a
// tenant's configuration cannot add syntax to them.
//
// WithFourEyes makes states whose way out approves someone else's work:
// AvailableWith and CheckWith refuse such a move with ErrFourEyes when the
// operator is one of the makers the caller read from the profile's history
// (Facts). Available, Can, Check and Apply do not know the makers;
// kyc.Service uses the ...With forms. MakerChecker is compiled this way.
//
// A condition that is false, or that raises (a TypeError or AttributeError,
// as in Python), never opens a transition; Available says which of the two
// closed it, and Check returns a *RefusedError with the reason.
//
// A compiled *Workflow is immutable and safe for concurrent use; a
// *profile.Profile is not, and Apply writes to it.
package workflow
