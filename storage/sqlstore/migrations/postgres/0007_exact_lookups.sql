-- The exact lookups by external reference and by tax payer id
-- (Query.ExternalRef, Query.TaxPayerID): an import asks, for each record,
-- whether the tenant already holds a profile with its external_ref. Two
-- columns every write fills (NULL for none), as on SQLite, each indexed;
-- the profiles written before this migration are filled from their JSON.
ALTER TABLE profiles ADD COLUMN external_ref TEXT;
ALTER TABLE profiles ADD COLUMN tax_payer_id TEXT;
UPDATE profiles SET
	external_ref = NULLIF(data->>'external_ref', ''),
	tax_payer_id = NULLIF(data->>'tax_payer_id', '');
-- Each index goes on in the default list order (modified_at, id), so that
-- a lookup's page walks it without a sort.
CREATE INDEX profiles_external_ref ON profiles (tenant, external_ref, modified_at, id) WHERE external_ref IS NOT NULL;
CREATE INDEX profiles_tax_payer_id ON profiles (tenant, tax_payer_id, modified_at, id) WHERE tax_payer_id IS NOT NULL;
