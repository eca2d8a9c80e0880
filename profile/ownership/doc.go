// Package ownership derives the beneficial owners of a legal person from the
// relations between profiles: who ultimately owns or controls it.
//
// Seed 003 (../shared/seeds/, section 3.1.7) relates a legal person to the
// natural persons "who have an economic participation in it" (the
// business_partner relation), to its guarantors and to its legal
// representatives, with key-value information on each relation (the
// relation's Extra). This package reads ownership and control facts from
// two reserved keys of that information, validates them (Validate, with the
// JSON path of every problem) and walks the graph they form.
//
// The rules applied:
//
//   - EU AMLR, Regulation (EU) 2024/1624, Art. 52: a beneficial owner
//     through ownership holds 25% or more of the shares or voting rights or
//     other ownership interest, directly or indirectly; an indirect share is
//     computed by multiplying the shares along each chain of ownership and
//     adding the chains. Control is assessed in parallel with ownership
//     (Art. 51 and 53).
//   - EU AMLR Art. 22 (with Art. 63 on records): when no natural person is
//     identified through ownership or control, the senior managing
//     officials are recorded as the beneficial owners, and the fact that
//     they are a fallback is recorded too.
//   - FinCEN's customer due diligence rule, 31 CFR 1010.230: each individual
//     who owns 25% or more of the equity interests, and one individual with
//     significant responsibility to control, manage or direct the customer.
//   - OFAC's 50 percent rule (Revised Guidance, 13 August 2014): an entity
//     owned 50% or more in the aggregate, directly or indirectly, by blocked
//     persons is itself blocked; see RiskInputs.
//
// Shares follow the Beneficial Ownership Data Standard's share model: an
// exact figure, or a minimum and a maximum, in percent (0 to 100), as
// registers publish bands such as 25-50%. Ranges are carried as intervals
// through the computation, so a person whose interval straddles the
// threshold "may be" a beneficial owner, and one whose minimum reaches it
// "is" one.
//
// Start from Compute, which walks a Graph (any store: the interface asks
// only for the relations of a set of profiles) and returns a Result that
// lists every owner with every contributing path and explains itself
// (Result.Explain). Affected walks the other way, from a person to every
// legal person it owns or controls, through a ReverseGraph: the legal
// persons whose review a change to that person must trigger.
//
// A Registry is immutable and safe for concurrent use; so are Compute and
// Affected, provided the Graph is. A Result is a plain value.
package ownership
