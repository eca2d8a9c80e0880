// Package review decides when each customer is due for ongoing due
// diligence, and why: the periodic review, watchlist re-screening, and the
// events that call for a review before its time.
//
// The periodic intervals follow the EU AML Regulation 2024/1624, Art.
// 26(2): customer information is updated at least every year for
// higher-risk customers and at least every five years for all others, and
// also when the customer's relevant circumstances change or a relevant fact
// becomes known (Art. 26(3)). DefaultPolicy encodes those bounds; a Policy
// loaded from JSON (Load) replaces them per tenant, and a zero, negative or
// absurd interval (over MaxInterval) is refused with its JSON path.
//
// A Policy answers three questions:
//
//   - Due: the profile's due work now, each Reason with its kind, the
//     moment it falls due and the JSON path of the fact behind it (the
//     last review, the last screening, an identity document's expiry, a
//     check result ageing out under the profile's recipe, a change pending
//     re-verification, an event not yet reviewed);
//   - Events: the triggers a committed change raises (the risk level
//     changed, a watchlist hit was confirmed), kept open until a review
//     completed after them;
//   - FourEyes: whether a review at a risk level needs a second person.
//
// Reasons carry kinds, moments and paths only: never a name, a document
// number or any other personal value, so that due work can be logged and
// exported to a work queue as it is.
package review
