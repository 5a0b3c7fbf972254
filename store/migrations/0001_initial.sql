-- catalog, marketplaces, crawl runs, listings, matches, leads
CREATE TABLE rightsholders (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    contact TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE brands (
    id TEXT PRIMARY KEY,
    rightsholder_id TEXT NOT NULL REFERENCES rightsholders(id),
    name TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',
    in_catalog INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);
CREATE TABLE marks (
    reg_no TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands(id),
    office TEXT,
    word TEXT,
    nice_classes TEXT NOT NULL DEFAULT '[]',
    expires TEXT,
    image TEXT
);
CREATE TABLE products (
    brand_id TEXT NOT NULL REFERENCES brands(id),
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    msrp REAL,
    currency TEXT,
    PRIMARY KEY (brand_id, id)
);
-- Content-addressed image blobs (catalog and listing images alike).
CREATE TABLE images (
    sha256 TEXT PRIMARY KEY,
    phash TEXT,
    refused TEXT,
    width INTEGER,
    height INTEGER,
    size INTEGER NOT NULL,
    first_seen TEXT NOT NULL
);
CREATE TABLE catalog_images (
    ref TEXT PRIMARY KEY,
    brand_id TEXT NOT NULL REFERENCES brands(id),
    product_id TEXT,
    mark_reg_no TEXT,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL REFERENCES images(sha256)
);
CREATE TABLE authorized_sellers (
    brand_id TEXT NOT NULL REFERENCES brands(id),
    platform TEXT NOT NULL,
    seller_id TEXT NOT NULL,
    name TEXT,
    PRIMARY KEY (brand_id, platform, seller_id)
);
CREATE TABLE marketplaces (
    name TEXT PRIMARY KEY,
    spider TEXT,
    base_url TEXT,
    updated_at TEXT NOT NULL
);
CREATE TABLE crawl_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    marketplace TEXT,
    source TEXT,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    stats TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE sellers (
    platform TEXT NOT NULL,
    seller_id TEXT NOT NULL,
    name TEXT,
    location TEXT,
    phone TEXT,
    address TEXT,
    url TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (platform, seller_id)
);
CREATE TABLE listings (
    platform TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    price REAL,
    currency TEXT,
    seller_id TEXT,
    seller_name TEXT,
    seller_location TEXT,
    sales_count INTEGER,
    image_urls TEXT NOT NULL DEFAULT '[]',
    captured_at TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    first_run_id INTEGER,
    last_run_id INTEGER,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (platform, listing_id)
);
CREATE TABLE listing_versions (
    platform TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    run_id INTEGER,
    captured_at TEXT,
    content_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    price REAL,
    currency TEXT,
    seller_id TEXT,
    PRIMARY KEY (platform, listing_id, version)
);
CREATE TABLE listing_images (
    platform TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    url TEXT NOT NULL,
    sha256 TEXT,
    refused TEXT,
    PRIMARY KEY (platform, listing_id, position)
);
-- The fetch cache: what each image URL resolved to, so an image is fetched once.
CREATE TABLE image_urls (
    url TEXT PRIMARY KEY,
    sha256 TEXT,
    refused TEXT,
    fetched_at TEXT NOT NULL
);
CREATE TABLE matches (
    platform TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    brand_id TEXT,
    product_id TEXT,
    mark_reg_no TEXT,
    score REAL NOT NULL,
    is_lead INTEGER NOT NULL,
    reasons TEXT NOT NULL,
    image_ref TEXT,
    image_distance INTEGER,
    matched_at TEXT NOT NULL,
    PRIMARY KEY (platform, listing_id)
);
CREATE TABLE leads (
    lead_id TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    brand_id TEXT,
    score REAL NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL DEFAULT 'new',
    note TEXT,
    first_flagged_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    exported_at TEXT,
    run_id INTEGER,
    UNIQUE (platform, listing_id)
);
CREATE INDEX idx_leads_status ON leads(status, active);
CREATE INDEX idx_matches_brand ON matches(brand_id);
CREATE INDEX idx_listings_seller ON listings(platform, seller_id);
CREATE INDEX idx_listings_last_run ON listings(last_run_id);
