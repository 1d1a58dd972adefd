-- The database defends itself: what the loader already guarantees, Postgres now refuses on its own, so a bad row
-- written by any other path (a script, psql, a future bug) fails instead of being believed. NOT VALID: existing
-- rows are not re-checked (a deployment with an old bad row still migrates); every new or updated row is.

-- documents: the blob path is the one the blob store derives from the hash; sizes and URLs are real.
ALTER TABLE documents
  ADD CONSTRAINT documents_size_nonnegative CHECK (size >= 0) NOT VALID,
  ADD CONSTRAINT documents_path_of_hash
    CHECK (path = substr(sha256, 1, 2) || '/' || substr(sha256, 3, 2) || '/' || sha256) NOT VALID,
  ADD CONSTRAINT documents_first_url_nonempty CHECK (first_url <> '') NOT VALID,
  ADD CONSTRAINT documents_permanent_has_reason CHECK (NOT error_permanent OR extraction_error IS NOT NULL) NOT VALID,
  ADD CONSTRAINT documents_error_nonempty CHECK (extraction_error IS NULL OR extraction_error <> '') NOT VALID;

-- fetches: an HTTP status is one, a method one we send, a size not negative.
ALTER TABLE fetches
  ADD CONSTRAINT fetches_status_http CHECK (status IS NULL OR status BETWEEN 100 AND 599) NOT VALID,
  ADD CONSTRAINT fetches_method_known CHECK (method IN ('GET', 'POST', 'HEAD')) NOT VALID,
  ADD CONSTRAINT fetches_size_nonnegative CHECK (size IS NULL OR size >= 0) NOT VALID,
  ADD CONSTRAINT fetches_url_nonempty CHECK (url <> '') NOT VALID;

-- crawl runs end after they start.
ALTER TABLE crawl_runs
  ADD CONSTRAINT crawl_runs_finish_after_start CHECK (finished_at IS NULL OR finished_at >= started_at) NOT VALID,
  ADD CONSTRAINT crawl_runs_stats_object CHECK (jsonb_typeof(stats) = 'object') NOT VALID;

-- candidates: a report year is a year of the disclosure regulations' era; seen times in order.
ALTER TABLE candidates
  ADD CONSTRAINT candidates_year_plausible CHECK (year IS NULL OR year BETWEEN 2000 AND 2100) NOT VALID,
  ADD CONSTRAINT candidates_seen_in_order CHECK (last_seen >= first_seen) NOT VALID,
  ADD CONSTRAINT candidates_title_nonempty CHECK (title <> '') NOT VALID,
  ADD CONSTRAINT candidates_url_nonempty CHECK (article_url <> '') NOT VALID;

-- reports: a plausible year, a real extractor version, the full report as a JSON object, a supersede that points
-- elsewhere and only from a superseded report.
ALTER TABLE reports
  ADD CONSTRAINT reports_year_plausible CHECK (year IS NULL OR year BETWEEN 2000 AND 2100) NOT VALID,
  ADD CONSTRAINT reports_extractor_named CHECK (extractor <> '' AND extractor_version <> '') NOT VALID,
  ADD CONSTRAINT reports_data_object CHECK (jsonb_typeof(data) = 'object') NOT VALID,
  ADD CONSTRAINT reports_superseded_by_other CHECK (superseded_by IS NULL OR superseded_by <> id) NOT VALID,
  ADD CONSTRAINT reports_superseded_by_only_superseded
    CHECK (superseded_by IS NULL OR status = 'superseded') NOT VALID,
  ADD CONSTRAINT reports_published_date CHECK (published_at IS NULL OR published_at ~ '^\d{4}-\d{2}-\d{2}') NOT VALID,
  ADD CONSTRAINT reports_source_url_nonempty CHECK (source_url <> '') NOT VALID;

-- cells: a schema path, a position, provenance as an object (values may be negative: 本年增/减 is a change).
ALTER TABLE report_cells
  ADD CONSTRAINT report_cells_ord_nonnegative CHECK (ord >= 0) NOT VALID,
  ADD CONSTRAINT report_cells_path_shape CHECK (path ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$') NOT VALID,
  ADD CONSTRAINT report_cells_at_object CHECK (jsonb_typeof(at) = 'object') NOT VALID;

-- flags: a registry code (core/flags.ts: upper snake case), a position.
ALTER TABLE report_flags
  ADD CONSTRAINT report_flags_code_shape CHECK (code ~ '^[A-Z][A-Z0-9_]*$') NOT VALID,
  ADD CONSTRAINT report_flags_ord_nonnegative CHECK (ord >= 0) NOT VALID;

ALTER TABLE report_sections ADD CONSTRAINT report_sections_key_nonempty CHECK (key <> '') NOT VALID;
ALTER TABLE agencies
  ADD CONSTRAINT agencies_names_nonempty CHECK (name <> '' AND norm_name <> '') NOT VALID;
