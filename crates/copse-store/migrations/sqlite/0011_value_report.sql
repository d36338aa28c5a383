-- The coordinators' introduction to a community's value report.
CREATE TABLE value_report_notes (
    community_id INTEGER PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    introduction TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES accounts(id),
    updated_at INTEGER NOT NULL
);
