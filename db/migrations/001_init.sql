-- nianbao store, version 1: registry, portals, crawl archive, extracted reports. Data dictionary: db/README.md.

CREATE TABLE regions (
  code        text    NOT NULL CHECK (code ~ '^[0-9]{6}$'),
  valid_from  integer NOT NULL,
  valid_to    integer,            -- first year no longer valid; NULL while in force
  name        text    NOT NULL,
  province    text    NOT NULL,
  prefecture  text,               -- as printed in the registry: a prefecture, 直辖 or 省直辖
  level       text    NOT NULL CHECK (level IN ('省级', '地级', '县级')),
  status      text    NOT NULL,   -- 在用 / 变更 / 弃用
  successor   text,               -- registry's 新代码 as printed: '130102;130104', '130102[2001]'
  PRIMARY KEY (code, valid_from),
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX regions_name ON regions (name);

CREATE TABLE portals (
  id          bigserial PRIMARY KEY,
  region_code text CHECK (region_code ~ '^[0-9]{6}$'),
  name        text,
  base_url    text    NOT NULL UNIQUE,
  platform    text    NOT NULL DEFAULT 'auto',
  entry_urls  text[]  NOT NULL DEFAULT '{}',
  enabled     boolean NOT NULL DEFAULT true,
  source      text    NOT NULL DEFAULT 'manual' CHECK (source IN ('yaml', 'manual')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX portals_region ON portals (region_code);

CREATE TABLE agencies (
  id          bigserial PRIMARY KEY,
  region_code text CHECK (region_code ~ '^[0-9]{6}$'),
  norm_name   text NOT NULL,      -- identity within the region: see db/agency.ts
  name        text NOT NULL,      -- the printed name first seen
  kind        text NOT NULL CHECK (kind IN ('government', 'office', 'department', 'township', 'street', 'zone', 'other')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT agencies_identity UNIQUE NULLS NOT DISTINCT (region_code, norm_name)
);

CREATE TABLE crawl_runs (
  id          bigserial PRIMARY KEY,
  portal_id   bigint REFERENCES portals (id),
  portal_url  text NOT NULL,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  stats       jsonb NOT NULL DEFAULT '{}',
  error       text
);
CREATE INDEX crawl_runs_portal ON crawl_runs (portal_id, started_at DESC);

CREATE TABLE fetches (
  id            bigserial PRIMARY KEY,
  run_id        bigint REFERENCES crawl_runs (id),
  url           text NOT NULL,
  final_url     text,
  method        text NOT NULL DEFAULT 'GET',
  status        integer,
  headers       jsonb NOT NULL DEFAULT '{}',
  etag          text,
  last_modified text,
  content_type  text,
  sha256        text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size          bigint,
  fetched_at    timestamptz NOT NULL DEFAULT now(),
  referrer      text,
  error         text,
  not_modified  boolean NOT NULL DEFAULT false
);
CREATE INDEX fetches_url ON fetches (url, fetched_at DESC);
CREATE INDEX fetches_run ON fetches (run_id);
CREATE INDEX fetches_sha256 ON fetches (sha256);

CREATE TABLE documents (
  sha256           text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size             bigint NOT NULL,
  path             text NOT NULL,   -- relative to the blob store root ($NIANBAO_HOME/blobs)
  content_type     text,
  first_url        text NOT NULL,
  first_fetch_id   bigint REFERENCES fetches (id),
  first_seen       timestamptz NOT NULL DEFAULT now(),
  extraction_error text,
  error_permanent  boolean NOT NULL DEFAULT false,
  error_at         timestamptz
);

CREATE TABLE candidates (
  id           bigserial PRIMARY KEY,
  portal_id    bigint NOT NULL REFERENCES portals (id),
  agency_id    bigint REFERENCES agencies (id),
  agency_name  text,               -- as listed on the portal
  year         integer,
  title        text NOT NULL,
  article_url  text NOT NULL,
  published_at text,               -- YYYY-MM-DD as found
  site_id_code text,
  first_run_id bigint REFERENCES crawl_runs (id),
  last_run_id  bigint REFERENCES crawl_runs (id),
  first_seen   timestamptz NOT NULL DEFAULT now(),
  last_seen    timestamptz NOT NULL DEFAULT now(),
  gone_at      timestamptz,
  UNIQUE (portal_id, article_url)
);
CREATE INDEX candidates_agency_year ON candidates (agency_id, year);

CREATE TABLE candidate_documents (
  candidate_id bigint NOT NULL REFERENCES candidates (id),
  sha256       text   NOT NULL REFERENCES documents (sha256),
  url          text   NOT NULL,
  kind         text   NOT NULL CHECK (kind IN ('article', 'attachment')),
  first_seen   timestamptz NOT NULL DEFAULT now(),
  last_seen    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (candidate_id, sha256)
);
CREATE INDEX candidate_documents_sha256 ON candidate_documents (sha256);

CREATE TABLE reports (
  id                bigserial PRIMARY KEY,
  document_sha256   text NOT NULL REFERENCES documents (sha256),
  extractor         text NOT NULL,  -- name@version as produced
  extractor_version text NOT NULL,
  agency_id         bigint REFERENCES agencies (id),
  agency_name       text,           -- as printed on this report
  region_code       text CHECK (region_code ~ '^[0-9]{6}$'),
  year              integer,
  template          text NOT NULL CHECK (template IN ('2021', '2019', 'pre2019', 'unknown')),
  title             text,
  published_at      text,
  source_url        text NOT NULL,
  candidate_id      bigint REFERENCES candidates (id),
  status            text NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'superseded')),
  superseded_by     bigint REFERENCES reports (id),
  fetched_at        timestamptz,
  loaded_at         timestamptz NOT NULL DEFAULT now(),
  data              jsonb NOT NULL,  -- the full report as loaded (gaps filled, load-time flags added)
  UNIQUE (document_sha256, extractor_version)
);
-- One current report per document; concurrent loads of a document serialise on an advisory lock as well.
CREATE UNIQUE INDEX reports_current_document ON reports (document_sha256) WHERE status = 'current';
CREATE INDEX reports_agency_year ON reports (agency_id, year) WHERE status = 'current';
CREATE INDEX reports_region_year ON reports (region_code, year);

CREATE TABLE report_cells (
  report_id bigint  NOT NULL REFERENCES reports (id),
  ord       integer NOT NULL,        -- position in the report's cells[]
  path      text    NOT NULL,        -- requests.new.natural_person
  value     numeric,
  raw       text,
  at        jsonb   NOT NULL,        -- {page,bbox} | {table,row,col} | {line}
  PRIMARY KEY (report_id, ord)
);
CREATE INDEX report_cells_path ON report_cells (path);

CREATE TABLE report_sections (
  report_id bigint NOT NULL REFERENCES reports (id),
  key       text   NOT NULL,         -- overview / problems / other / the report's own
  text      text,
  PRIMARY KEY (report_id, key)
);

CREATE TABLE report_flags (
  report_id bigint  NOT NULL REFERENCES reports (id),
  ord       integer NOT NULL,
  code      text    NOT NULL,
  severity  text    NOT NULL CHECK (severity IN ('error', 'warning', 'info')),
  path      text,
  message   text,
  origin    text    NOT NULL DEFAULT 'extractor' CHECK (origin IN ('extractor', 'load')),
  PRIMARY KEY (report_id, ord)
);
CREATE INDEX report_flags_code ON report_flags (code);
