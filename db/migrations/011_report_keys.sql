-- Stable public report keys (issue 15). A report row's `id` is internal: re-extraction inserts a new row. The key
-- is the first 16 hex digits of the document's SHA-256, so every extractor version of one document shares it, it
-- survives re-extraction and re-loading into another database, and anyone holding the bytes can recompute it.
-- At most one current report per document (reports_current_document), hence per key.
ALTER TABLE reports ADD COLUMN report_key text GENERATED ALWAYS AS (substr(document_sha256, 1, 16)) STORED;
CREATE INDEX reports_key ON reports (report_key);
