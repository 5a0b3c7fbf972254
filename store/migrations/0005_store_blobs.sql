-- image bytes in the database: where a PostgreSQL store keeps blobs unless [store] blobs names a folder
CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
