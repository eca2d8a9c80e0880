// Package workflow runs digital profiles through review workflows: state
// machines loaded from the seed's JSON list of {source, dest, condition}
// transitions (seed 003, section 3.3), with conditions written in the
// seed's Python-expression language over `dprofile` (the profile, with
// open_cases) and `context` (the operator's scopes, user and tenant).
//
// Start from Compile (or the built-in Default and MakerChecker), which
// returns a *Workflow. Ask it what a profile may become with Available, test
// a move with Can or Check, and make it with Apply, which changes only the
// profile's state: the engine keeps no state, the profile carries it, and
// the caller records the change in the profile's history. Mermaid and DOT
// render the workflow as diagrams.
//
// A condition that is false, or that raises (a TypeError or AttributeError,
// as in Python), never opens a transition; Available says which of the two
// closed it, and Check returns a *RefusedError with the reason.
//
// A compiled *Workflow is immutable and safe for concurrent use; a
// *profile.Profile is not, and Apply writes to it.
package workflow
