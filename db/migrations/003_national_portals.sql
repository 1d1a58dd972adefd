-- nianbao store, version 3: the national portal registry (data/portals/county-portals.csv) under the yaml
-- overrides, verification of a portal on first sight, and portal health (crawl errors by kind, run outcomes).

-- A county with no known portal is a row without a URL, so coverage can say "no portal" (UNIQUE allows many NULLs).
ALTER TABLE portals ALTER COLUMN base_url DROP NOT NULL;
ALTER TABLE portals DROP CONSTRAINT IF EXISTS portals_source_check;
ALTER TABLE portals ADD CONSTRAINT portals_source_check CHECK (source IN ('registry', 'yaml', 'manual', 'discovered'));
ALTER TABLE portals
  -- The county this row stands for in the national registry (one row per code); NULL for yaml-only and manual rows.
  ADD COLUMN registry_code   text UNIQUE CHECK (registry_code ~ '^[0-9]{6}$'),
  ADD COLUMN registry_url    text,      -- the URL as the registry lists it (base_url differs when yaml corrects it)
  ADD COLUMN registry_source text,      -- attribution: the public list the URL comes from
  ADD COLUMN cms_hint        text,
  ADD COLUMN policy_url      text,
  ADD COLUMN note            text,
  ADD COLUMN siteid_prefixes text[] NOT NULL DEFAULT '{}',
  -- The latest verification verdict (history in portal_verifications).
  ADD COLUMN verdict         text CHECK (verdict IN ('verified', 'mismatch', 'unknown')),
  ADD COLUMN verified_at     timestamptz,
  -- Where the portal's home page now lives when it redirected to another host (followed and re-verified).
  ADD COLUMN moved_to        text;
ALTER TABLE portals ADD CONSTRAINT portals_registry_has_code CHECK (registry_code IS NULL OR region_code = registry_code);

CREATE TABLE portal_verifications (
  id           bigserial PRIMARY KEY,
  portal_id    bigint NOT NULL REFERENCES portals (id),
  run_id       bigint REFERENCES crawl_runs (id),
  checked_at   timestamptz NOT NULL DEFAULT now(),
  url          text NOT NULL,        -- the page read (the home page as requested)
  final_url    text,                 -- where it landed (another host: the portal moved)
  verdict      text NOT NULL CHECK (verdict IN ('verified', 'mismatch', 'unknown')),
  site_id_code text,                 -- 网站标识码 as shown (meta SiteIDCode or the footer)
  site_name    text,                 -- meta SiteName, else the footer's 主办 line
  reason       text NOT NULL         -- one line a person can check against the evidence
);
CREATE INDEX portal_verifications_portal ON portal_verifications (portal_id, checked_at DESC);

-- outcome: complete (listing read to its end), partial (budget or a list page failed: nothing marked gone),
-- failed (no column, zero entries, far fewer than the last complete run, aborted), interrupted (a signal).
ALTER TABLE crawl_runs ADD COLUMN outcome text CHECK (outcome IN ('complete', 'partial', 'failed', 'interrupted'));

CREATE TABLE crawl_errors (
  run_id     bigint NOT NULL REFERENCES crawl_runs (id),
  ord        integer NOT NULL,
  kind       text NOT NULL CHECK (kind IN ('network', 'http-status', 'robots', 'off-portal', 'private-address',
               'budget', 'parse', 'listing', 'interrupted', 'other')),
  url        text NOT NULL,
  status     integer,
  message    text NOT NULL,
  PRIMARY KEY (run_id, ord)
);
CREATE INDEX crawl_errors_kind ON crawl_errors (kind);
