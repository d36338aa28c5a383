-- The coordinators' introduction to a community's value report.
CREATE TABLE value_report_notes (
    community_id BIGINT PRIMARY KEY REFERENCES communities(id) ON DELETE CASCADE,
    introduction TEXT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES accounts(id),
    updated_at BIGINT NOT NULL
);
