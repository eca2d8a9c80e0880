-- Lists filtered on state and risk (a review queue: active, high risk)
-- were counted through profiles_state, which cannot check the risk: every
-- profile in the state was looked up in the table. This index holds both,
-- so the count reads only index entries and the page walks the index in
-- modified_at order; a filter on the state alone uses its prefix.
DROP INDEX profiles_state;
CREATE INDEX profiles_state_risk ON profiles (tenant, state, risk, modified_at, id);
