-- Agency identity (issue 15). Every printed form of an agency's name, so re-normalising (db/agency-merge.ts) never
-- loses what the documents and listings said, and a merged agency still lists the names it was known by.
CREATE TABLE agency_names (
  agency_id  bigint NOT NULL REFERENCES agencies (id),
  name       text   NOT NULL CHECK (name <> ''),  -- as printed (trimmed)
  first_seen timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (agency_id, name)
);

-- The names already in the database: the agency's first printed name, every report's and every candidate's.
INSERT INTO agency_names (agency_id, name, first_seen)
SELECT agency_id, name, min(seen) FROM (
  SELECT id AS agency_id, name, created_at AS seen FROM agencies
  UNION ALL SELECT agency_id, btrim(agency_name), loaded_at FROM reports WHERE agency_id IS NOT NULL
  UNION ALL SELECT agency_id, btrim(agency_name), first_seen FROM candidates WHERE agency_id IS NOT NULL
) t
WHERE name IS NOT NULL AND name <> ''
GROUP BY agency_id, name;

-- Which normaliser (db/agency.ts AGENCY_NORMALISER_VERSION) the agencies' norm_name and kind were computed with: the
-- merge step runs when the code's version differs. One row.
CREATE TABLE agency_normaliser (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  version    text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  agencies_merged integer NOT NULL DEFAULT 0,  -- rows merged away by the run that recorded this version
  reports_reflagged integer NOT NULL DEFAULT 0  -- reports whose load-time flags that run rewrote
);

-- Deleting a merged agency checks that no report still points at it: without this index (reports_agency_year covers
-- current reports only) every deleted row scanned the whole reports table.
CREATE INDEX reports_agency ON reports (agency_id);
