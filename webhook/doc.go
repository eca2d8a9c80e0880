// Package webhook delivers a tenant's change feed (storage.Event, written
// in the same atomic step as each change) to other systems, at least once
// and in order, signed as the Standard Webhooks specification says
// (www.standardwebhooks.com).
//
// A Relay reads the feed of its tenants after the position its consumer
// has reached, hands each event to a Sink, and moves the consumer's
// position forward in the store's own database once the events before it
// are delivered. A Sink that fails is retried with exponential backoff and
// jitter up to Options.MaxAttempts; an event that still fails is
// dead-lettered in the same step that moves the position past it, so that
// the relay goes on and an operator can inspect the event (DeadLetters)
// and deliver it again (Replay). Nothing is lost on the way: a relay that
// stops (a crash, a deploy, a SIGKILL) resumes from the last recorded
// position and delivers again the events after it.
//
// # Guarantees
//
//   - At least once: every committed change is delivered, or
//     dead-lettered, at least once. A receiver deduplicates on the event's
//     id (the webhook-id header), which is the same on every delivery.
//   - In order per tenant: a consumer's events go out one at a time in
//     position order; a later event is sent only once the one before it
//     was delivered or dead-lettered.
//   - Several relay processes may run at once: a lease in the database
//     (storage.Consumers) gives each (tenant, consumer) to one of them at
//     a time; when its holder stops, another takes over once the lease
//     expires (Options.Lease), and the old holder, if it comes back, can
//     no longer move the position.
//
// Events carry ids, kinds, moments and changed paths, never personal
// values; a receiver that needs the profile reads it with its own
// permissions.
//
// HTTPSink posts each event as JSON with the headers webhook-id,
// webhook-timestamp and webhook-signature (v1, HMAC-SHA256 of
// "id.timestamp.body" under each secret, several during a rotation);
// Verify checks them on the receiving side. HTTPSink.Profile adds, for the
// tenants that ask for it, the changed profile in seed 002's client shape
// (ClientProfile): personal data, which events alone never carry.
package webhook
