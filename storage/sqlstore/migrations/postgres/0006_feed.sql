-- The change feed (storage.Event): one row per committed change, written
-- in the transaction (or the one statement) of the change itself. data is
-- the event's JSON without its position; at is its moment in Unix
-- milliseconds, for retention.
--
-- Positions come from feed_heads, one counter row per tenant, taken by the
-- writing transaction as its last step (INSERT ... ON CONFLICT DO UPDATE)
-- and held until it commits: the next writer of the tenant waits for the
-- commit, so positions become visible in the order they are handed out,
-- with no gap, and a reader that has seen position n can never see an
-- event at or below n appear later. A sequence would hand out values in
-- one order and make them visible in another. The counter survives pruning,
-- so positions are never reused.
CREATE TABLE feed_heads (
	tenant TEXT PRIMARY KEY,
	pos BIGINT NOT NULL
);

CREATE TABLE feed (
	tenant TEXT NOT NULL,
	pos BIGINT NOT NULL,
	id TEXT NOT NULL,
	at BIGINT NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (tenant, pos)
);
CREATE UNIQUE INDEX feed_ids ON feed (tenant, id);

-- The readers of the feed that must not lose an event (storage.Consumers):
-- each one's position, and the lease that lets one process at a time read
-- for it (owner, until lease_until, Unix milliseconds; '' when free).
CREATE TABLE feed_consumers (
	tenant TEXT NOT NULL,
	name TEXT NOT NULL,
	pos BIGINT NOT NULL,
	owner TEXT NOT NULL,
	lease_until BIGINT NOT NULL,
	PRIMARY KEY (tenant, name)
);

-- The events a consumer gave up delivering, written in the step that
-- moves its position past them: data is the event's JSON without its
-- position (pos).
CREATE TABLE feed_dead (
	tenant TEXT NOT NULL,
	consumer TEXT NOT NULL,
	event_id TEXT NOT NULL,
	pos BIGINT NOT NULL,
	attempts INTEGER NOT NULL,
	reason TEXT NOT NULL,
	at BIGINT NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (tenant, consumer, event_id)
);
