-- a store shared by many hosts: image bytes in the database (PostgreSQL's default blob store), the host of each run
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
ALTER TABLE crawl_runs ADD COLUMN host TEXT;
