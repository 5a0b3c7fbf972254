-- lead history, evidence bundles (hash chain) and seller networks
CREATE TABLE lead_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_id TEXT NOT NULL REFERENCES leads(lead_id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    old_status TEXT,
    new_status TEXT,
    note TEXT
);
CREATE INDEX idx_lead_events_lead ON lead_events(lead_id, id);
-- One row per captured bundle, in capture order; each manifest holds the previous one's digest.
CREATE TABLE evidence_bundles (
    seq INTEGER PRIMARY KEY,
    lead_id TEXT NOT NULL,
    platform TEXT NOT NULL,
    listing_id TEXT NOT NULL,
    folder TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    prev_manifest_sha256 TEXT
);
CREATE INDEX idx_evidence_lead ON evidence_bundles(lead_id, seq);
-- Seller networks as last computed: every seller linked to at least one other seller.
CREATE TABLE seller_networks (
    platform TEXT NOT NULL,
    seller_id TEXT NOT NULL,
    network_id TEXT NOT NULL,
    links TEXT NOT NULL DEFAULT '',
    computed_at TEXT NOT NULL,
    PRIMARY KEY (platform, seller_id)
);
CREATE INDEX idx_seller_networks_net ON seller_networks(network_id);
