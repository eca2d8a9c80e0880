// Package entityprofile decides which verification checks a customer needs
// and whether earlier results still count (seed 001, "About entity
// profiles"). An entity profile is a named recipe: the check types to run,
// how long each result stays valid (ageing: a duration, never, or until the
// identity document expires), the risk policies that add checks or shorten
// ageing at a risk level, the minimum number of name, address and
// date-of-birth matches that complete KYC, and the consent each check needs.
//
// Start from Registry, built once from JSON by Load (or NewRegistry from a
// Config), which rejects a bad configuration with every problem named. Then:
//
//   - Assign records a profile on a customer: by name, Auto (rules over the
//     profile, first match wins, then a default) or None (the caller names
//     the check types at each verification); Resolve says what Assign
//     would record without recording it, and Has whether a name is a
//     profile of the registry;
//   - Plan lists the checks to run now and the earlier results reused: any
//     result still valid counts, whichever entity profile asked for it;
//   - Assess does Plan and Evaluate in one pass;
//   - Record turns a check's outcome into a profile.Check with its expiry;
//   - Evaluate says passed, failed or incomplete, and what is missing,
//     expired, stale or blocked by a missing consent;
//   - DueBy lists the customers needing re-verification by a date, and why.
//
// Configured durations are bounded when the registry is built: an ageing
// over MaxAgeing (100 years) is refused with its JSON path. A result aged
// by the identity document, recorded while the person holds no valid
// document, is expired at once.
//
// Validity is always judged by the rules in force at the time asked about:
// changing a customer's entity profile applies at once to its existing
// results under the new profile's ageing, and invalidates none of them
// (seed 001, note on changing the entity profile).
//
// A Registry is immutable and safe for concurrent use. A profile.Profile is
// not: Assign and Record change the profile they are given, and Plan,
// Evaluate and DueBy read it, so the caller serialises access to each
// profile.
package entityprofile
