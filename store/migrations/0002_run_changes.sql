-- crawl runs: scope and process id; per-run listing changes (new, changed, unchanged, gone); gone listings
ALTER TABLE crawl_runs ADD COLUMN scope TEXT NOT NULL DEFAULT 'partial';
ALTER TABLE crawl_runs ADD COLUMN pid INTEGER;
ALTER TABLE listings ADD COLUMN gone_run_id INTEGER;
ALTER TABLE listings ADD COLUMN gone_at TEXT;
CREATE TABLE run_listings (
    run_id INTEGER NOT NULL,
    platform TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('new', 'changed', 'unchanged', 'gone')),
    PRIMARY KEY (run_id, platform, listing_id)
);
CREATE INDEX idx_run_listings_change ON run_listings(run_id, change);
CREATE INDEX idx_listings_gone ON listings(platform, gone_run_id);
