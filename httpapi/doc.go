// Package httpapi serves a kyc.Service over HTTP: the digital-profile
// resources of seed 003 (dprofile_profile, dprofile_comment,
// dprofile_state, dprofile_summary, dprofile_websearch, and the facts the
// library records: history and versions, risk, verification, screening,
// cases, reviews, due work, beneficial owners) under /profiles, the
// client API of seed 002 under /clients, and the change feed for pull
// consumers under /changes, described by an OpenAPI 3.1 document served at
// /openapi.json.
//
// Start from New, which takes the Service and an Authenticator: the
// embedding service decides who the caller is (API keys, a JWT verifier);
// the Service's policy decides what the caller may do. The Handler routes
// with net/http's ServeMux patterns and mounts under any prefix with
// http.StripPrefix.
//
// HTTP as its users expect it:
//   - every profile answer carries its version as a strong ETag; every
//     write of a versioned profile needs If-Match (428 without it, 412 when
//     the version moved). PATCH and revert hand the version to the Service,
//     whose store refuses a write based on an older one, so of two clients
//     that read one version only one wins; the fact operations (a move, a
//     screening, a case...) go through kyc.Service.Expect, which checks the
//     version in the step that writes, with the same outcome, and so does
//     DELETE (the store checks the version on the profile it deletes).
//     Comments carry no
//     version (a comment is its author's own and does not change the
//     profile): their writes take no If-Match;
//   - PATCH /profiles/{id} is a JSON Merge Patch (RFC 7396) of the
//     profile's JSON; PATCH /clients/{id} one of the seed-002 client;
//   - errors are RFC 9457 problem details (application/problem+json) with
//     a stable kind, the JSON pointers of the fields at fault, and for a
//     refusal the operation and permission, the workflow's reason or the
//     paths needing re-verification: never a value of the request or of a
//     stored profile;
//   - another tenant's ids answer 404, as ids that do not exist;
//   - a POST with an Idempotency-Key is served once: a retry gets the
//     first answer. The answers are kept in the Handler's memory, per
//     tenant, bounded in number and time (Options.IdempotencyKeys,
//     IdempotencyTenants, IdempotencyTTL); several instances behind a load
//     balancer each keep their own;
//   - bodies are bounded in size and nesting depth, checked for their
//     Content-Type (415), and each request's work is bounded in time and
//     the requests in flight in number.
//
// A Handler is safe for concurrent use.
package httpapi
