-- repeatable: re-applied by migrate whenever this file changes
-- Portal health and national coverage for operators and researchers (db/README.md). Re-runnable: dropped first.
DROP VIEW IF EXISTS v_coverage CASCADE;
DROP VIEW IF EXISTS v_portal_health CASCADE;

-- One row per portal with a URL: its last run, its last success, and the failures since (the broken ones first).
CREATE VIEW v_portal_health AS
SELECT p.id AS portal_id, p.region_code, p.name, p.base_url, p.enabled, p.verdict, p.moved_to,
  last.started_at AS last_run_at, last.outcome AS last_outcome,
  ok.started_at AS last_success_at,
  failure.started_at AS last_failure_at,
  (SELECT e.kind || ': ' || e.message FROM crawl_errors e WHERE e.run_id = failure.id
    ORDER BY (e.kind = 'listing') DESC, e.ord LIMIT 1) AS last_error,
  (SELECT count(*) FROM crawl_runs r WHERE r.portal_id = p.id AND r.outcome = 'failed'
    AND r.started_at > coalesce(ok.started_at, '-infinity'))::int AS consecutive_failures
FROM portals p
LEFT JOIN LATERAL (SELECT r.started_at, r.outcome FROM crawl_runs r WHERE r.portal_id = p.id AND r.finished_at IS NOT NULL
  ORDER BY r.started_at DESC, r.id DESC LIMIT 1) last ON true
LEFT JOIN LATERAL (SELECT r.started_at FROM crawl_runs r WHERE r.portal_id = p.id AND r.outcome IN ('complete', 'partial')
  ORDER BY r.started_at DESC, r.id DESC LIMIT 1) ok ON true
LEFT JOIN LATERAL (SELECT r.id, r.started_at FROM crawl_runs r WHERE r.portal_id = p.id AND r.outcome = 'failed'
  ORDER BY r.started_at DESC, r.id DESC LIMIT 1) failure ON true
WHERE p.base_url IS NOT NULL;
COMMENT ON VIEW v_portal_health IS 'per portal: last run and outcome, last success, last failure and its first error, failed runs since the last success';

-- The national matrix: every county of the registry (2,846 in force in 2024) × every report year, one state per cell.
-- A report for year Y is due by 31 January of Y+1 (政府信息公开条例 art. 49); after that, a county with no report, or
-- with fewer bodies reporting than for Y-1, is stale.
CREATE VIEW v_coverage AS
WITH counties AS (
  SELECT DISTINCT ON (g.code) g.code, g.name, g.province, g.prefecture
  FROM regions g JOIN portals reg ON reg.registry_code = g.code
  ORDER BY g.code, g.valid_from DESC
), years AS (
  SELECT generate_series(2019, extract(year FROM current_date)::int - 1) AS year
  UNION SELECT DISTINCT year FROM reports WHERE status = 'current' AND year IS NOT NULL
), sites AS (
  SELECT h.region_code,
    bool_or(h.verdict = 'verified') AS verified,
    bool_or(h.last_run_at IS NOT NULL) AS crawled,
    bool_and(h.last_outcome IS NOT DISTINCT FROM 'failed') FILTER (WHERE h.last_run_at IS NOT NULL) AS failing
  FROM v_portal_health h WHERE h.enabled AND h.region_code IS NOT NULL GROUP BY h.region_code
), loaded AS (
  SELECT region_code, year, count(DISTINCT coalesce(agency_id::text, 'report ' || id)) AS bodies
  FROM reports WHERE status = 'current' AND region_code IS NOT NULL AND year IS NOT NULL GROUP BY region_code, year
), listed AS (
  SELECT p.region_code, c.year, count(*) AS entries
  FROM candidates c JOIN portals p ON p.id = c.portal_id
  WHERE c.gone_at IS NULL AND c.year IS NOT NULL AND p.verdict IS DISTINCT FROM 'mismatch'
  GROUP BY p.region_code, c.year
)
SELECT k.code AS region_code, k.name AS county, k.province, k.prefecture, y.year,
  CASE
    WHEN coalesce(l.bodies, 0) > 0 AND current_date > make_date(y.year + 1, 1, 31) AND l.bodies < coalesce(prev.bodies, 0)
      THEN 'stale'
    WHEN coalesce(l.bodies, 0) > 0 THEN 'loaded'
    WHEN coalesce(c.entries, 0) > 0 THEN 'unreadable'
    WHEN s.region_code IS NULL THEN 'no portal'
    WHEN coalesce(s.failing, false) THEN 'crawl failing'
    WHEN NOT coalesce(s.verified, false) THEN 'unverified'
    WHEN current_date > make_date(y.year + 1, 1, 31) THEN 'stale'
    ELSE 'no report listed'
  END AS state,
  coalesce(l.bodies, 0)::int AS bodies,
  coalesce(prev.bodies, 0)::int AS bodies_year_before,
  coalesce(c.entries, 0)::int AS listed
FROM counties k CROSS JOIN years y
LEFT JOIN sites s ON s.region_code = k.code
LEFT JOIN loaded l ON l.region_code = k.code AND l.year = y.year
LEFT JOIN loaded prev ON prev.region_code = k.code AND prev.year = y.year - 1
LEFT JOIN listed c ON c.region_code = k.code AND c.year = y.year;
COMMENT ON VIEW v_coverage IS 'county x report year: no portal / unverified / crawl failing / no report listed / unreadable (listed, not loaded) / loaded (bodies) / stale (due date passed with no report, or fewer bodies than the year before)';
