-- what the photo engines read in each image (OCR lines, logo hits), and the logo index per catalog version
CREATE TABLE image_readings (
    sha256 TEXT PRIMARY KEY REFERENCES images(sha256),
    status TEXT NOT NULL,
    detail TEXT,
    reading TEXT NOT NULL,
    ocr INTEGER NOT NULL,
    logo_index TEXT,
    engines TEXT NOT NULL,
    seconds REAL,
    reads INTEGER NOT NULL DEFAULT 1,
    read_at TEXT NOT NULL
);
CREATE TABLE logo_indexes (
    digest TEXT PRIMARY KEY,
    data BLOB NOT NULL,
    logos INTEGER NOT NULL,
    built_at TEXT NOT NULL
);
