-- Pictures an HTML document shows by URL (`<img src>`), fetched and archived with it: county articles paste their
-- tables as uploaded images, and the extractor reads them with OCR. Each picture is a document of its own (its
-- bytes archived by content hash, its fetch in `fetches`); this says which page showed it under which URL, so a
-- re-extraction of the page gets the same pictures. Written by the crawler (db/store.ts recordDocumentImages).

CREATE TABLE document_images (
  document_sha256 text NOT NULL REFERENCES documents (sha256),
  image_url       text NOT NULL CHECK (image_url ~ '^https?://'),
  image_sha256    text NOT NULL REFERENCES documents (sha256),
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (document_sha256, image_url)
);
