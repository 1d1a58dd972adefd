-- The review layer (issue 15 item 6): researchers' verdicts on flags and corrections of cells, kept beside what the
-- document said, never in place of it. Rows are keyed by (report_key, path), not report_id, so they survive
-- re-extraction (a new report row under the same key). Append-only: a changed verdict is a new row (the latest
-- wins), a withdrawn correction is a retraction row; nothing is updated or deleted. Writes: db/reviews.ts.
-- The views read tables only (never the repeatable 002 views, whose re-creation drops dependants by CASCADE).

CREATE TABLE flag_reviews (
  id                     bigserial PRIMARY KEY,
  report_key             text NOT NULL CHECK (report_key ~ '^[0-9a-f]{16}$'),
  flag_code              text NOT NULL CHECK (flag_code ~ '^[A-Z][A-Z0-9_]*$'),
  path                   text,            -- the flag's path; NULL for a flag on the whole report
  decision               text NOT NULL CHECK (decision IN ('confirmed', 'dismissed')),
  reason                 text CHECK (reason IS NULL OR (btrim(reason) <> '' AND length(reason) <= 2000)),
  reviewer               text NOT NULL CHECK (btrim(reviewer) <> '' AND length(reviewer) <= 100),
  created_at             timestamptz NOT NULL DEFAULT now(),
  extractor_version_seen text NOT NULL    -- the report version the reviewer looked at
);
CREATE INDEX flag_reviews_key ON flag_reviews (report_key, flag_code, path, id DESC);

CREATE TABLE cell_corrections (
  id                     bigserial PRIMARY KEY,
  report_key             text NOT NULL CHECK (report_key ~ '^[0-9a-f]{16}$'),
  path                   text NOT NULL CHECK (path ~ '^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$'),
  extracted_value        numeric,         -- the cell as extracted when the entry was written
  extracted_raw          text,
  corrected_value        numeric,         -- NULL: the cell is blank; always NULL on a retraction
  reason                 text NOT NULL CHECK (btrim(reason) <> '' AND length(reason) <= 2000),
  reviewer               text NOT NULL CHECK (btrim(reviewer) <> '' AND length(reviewer) <= 100),
  created_at             timestamptz NOT NULL DEFAULT now(),
  extractor_version_seen text NOT NULL,
  retracts               bigint,          -- set: this row withdraws that correction (same key and path)
  UNIQUE (id, report_key, path),
  FOREIGN KEY (retracts, report_key, path) REFERENCES cell_corrections (id, report_key, path),
  CHECK (retracts IS NULL OR corrected_value IS NULL)
);
-- A correction is retracted at most once.
CREATE UNIQUE INDEX cell_corrections_retracts ON cell_corrections (retracts) WHERE retracts IS NOT NULL;
CREATE INDEX cell_corrections_key ON cell_corrections (report_key, path, id DESC);

-- Append-only, defended by the database: an entry once written is evidence of what someone decided and when.
CREATE FUNCTION reviews_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: record a new review or a retraction instead', TG_TABLE_NAME;
END $$;
CREATE TRIGGER flag_reviews_append_only BEFORE UPDATE OR DELETE ON flag_reviews
  FOR EACH ROW EXECUTE FUNCTION reviews_append_only();
CREATE TRIGGER cell_corrections_append_only BEFORE UPDATE OR DELETE ON cell_corrections
  FOR EACH ROW EXECUTE FUNCTION reviews_append_only();

-- A retraction withdraws a correction, never another retraction.
CREATE FUNCTION cell_corrections_retract_check() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.retracts IS NOT NULL
     AND EXISTS (SELECT 1 FROM cell_corrections WHERE id = NEW.retracts AND retracts IS NOT NULL) THEN
    RAISE EXCEPTION 'cell_corrections % is a retraction: only a correction can be retracted', NEW.retracts;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER cell_corrections_retract_check BEFORE INSERT ON cell_corrections
  FOR EACH ROW EXECUTE FUNCTION cell_corrections_retract_check();

-- The correction in force per (report_key, path): the latest correction not retracted, next to the value the
-- current report version extracted. stale: the current extraction differs from what the reviewer saw (a
-- re-extraction changed or dropped the cell), so the correction deserves a second look.
CREATE VIEW v_corrections AS
WITH live AS (
  SELECT DISTINCT ON (c.report_key, c.path) c.*
  FROM cell_corrections c
  WHERE c.retracts IS NULL
    AND NOT EXISTS (SELECT 1 FROM cell_corrections r WHERE r.retracts = c.id)
  ORDER BY c.report_key, c.path, c.id DESC
)
SELECT l.report_key,
       l.path,
       cur.value                   AS extracted_value,
       l.corrected_value,
       l.reason,
       l.reviewer,
       l.created_at,
       l.extracted_value           AS extracted_value_at_review,
       (cur.ord IS NULL OR cur.value IS DISTINCT FROM l.extracted_value) AS stale,
       l.id                        AS correction_id,
       cur.raw                     AS extracted_raw,
       l.extracted_raw             AS extracted_raw_at_review,
       cur.ord IS NOT NULL         AS cell_present,
       l.extractor_version_seen,
       r.extractor_version         AS extractor_version,
       r.id                        AS report_id
FROM live l
LEFT JOIN reports r ON r.report_key = l.report_key AND r.status = 'current'
LEFT JOIN LATERAL (
  SELECT c.ord, c.value, c.raw FROM report_cells c WHERE c.report_id = r.id AND c.path = l.path ORDER BY c.ord LIMIT 1
) cur ON true;
COMMENT ON VIEW v_corrections IS
  '在用的人工更正: per (report_key, path) the latest correction not retracted, beside the current extracted value';
COMMENT ON COLUMN v_corrections.extracted_value IS 'the value the current report version extracted (NULL: blank)';
COMMENT ON COLUMN v_corrections.corrected_value IS 'the reviewer''s value (NULL: the cell is blank)';
COMMENT ON COLUMN v_corrections.extracted_value_at_review IS 'the extracted value the reviewer saw';
COMMENT ON COLUMN v_corrections.stale IS 'the current extraction differs from what the reviewer saw, or lost the cell';

-- The verdict in force per (report_key, flag_code, path): the latest review. flag_still_present: the current report
-- version still raises the flag (false once a re-extraction no longer does).
CREATE VIEW v_flag_reviews AS
WITH latest AS (
  SELECT DISTINCT ON (f.report_key, f.flag_code, f.path) f.*
  FROM flag_reviews f
  ORDER BY f.report_key, f.flag_code, f.path, f.id DESC
)
SELECT l.report_key,
       l.flag_code,
       l.path,
       l.decision,
       l.reason,
       l.reviewer,
       l.created_at,
       EXISTS (
         SELECT 1 FROM report_flags g
         WHERE g.report_id = r.id AND g.code = l.flag_code AND g.path IS NOT DISTINCT FROM l.path
       )                           AS flag_still_present,
       l.id                        AS review_id,
       l.extractor_version_seen,
       r.extractor_version         AS extractor_version,
       r.id                        AS report_id
FROM latest l
LEFT JOIN reports r ON r.report_key = l.report_key AND r.status = 'current';
COMMENT ON VIEW v_flag_reviews IS '旗标复核: per (report_key, flag_code, path) the latest confirmed/dismissed verdict';
COMMENT ON COLUMN v_flag_reviews.flag_still_present IS 'the current report version still raises this flag here';
