-- schedule runs: one row per run of a [schedules.NAME] job, and the leads each job has exported
CREATE TABLE schedule_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    schedule TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    crawl_run_ids TEXT NOT NULL DEFAULT '[]',
    new_leads INTEGER,
    export_path TEXT,
    error TEXT
);
CREATE INDEX idx_schedule_runs_schedule ON schedule_runs(schedule, id);
-- A lead is "new" for a schedule until one of its runs has exported it.
CREATE TABLE schedule_exported_leads (
    schedule TEXT NOT NULL,
    lead_id TEXT NOT NULL,
    schedule_run_id INTEGER NOT NULL REFERENCES schedule_runs(id),
    PRIMARY KEY (schedule, lead_id)
);
