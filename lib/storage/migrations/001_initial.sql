-- Schema version 1: applicants, their skill words, screening history, imports.
CREATE SEQUENCE applicant_id_seq START 1;
CREATE SEQUENCE import_id_seq START 1;
CREATE SEQUENCE status_history_id_seq START 1;
CREATE SEQUENCE audit_id_seq START 1;

CREATE TABLE imports (
    id BIGINT PRIMARY KEY DEFAULT nextval('import_id_seq'),
    imported_at TIMESTAMP NOT NULL,
    filename VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    encoding VARCHAR,
    delimiter VARCHAR,
    rows_read INTEGER NOT NULL,
    inserted INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    moderator VARCHAR NOT NULL DEFAULT 'local'
);

CREATE TABLE applicants (
    id BIGINT PRIMARY KEY DEFAULT nextval('applicant_id_seq'),
    email VARCHAR NOT NULL UNIQUE,
    name VARCHAR NOT NULL,
    linkedin VARCHAR,
    github VARCHAR,
    other_links VARCHAR,
    goals VARCHAR,
    offers_text VARCHAR,
    wants_text VARCHAR,
    timezone VARCHAR,
    experience_text VARCHAR,
    experience_years DOUBLE,
    submitted_text VARCHAR,
    submitted_at TIMESTAMP,
    extra JSON,
    content_hash VARCHAR NOT NULL,
    source_row INTEGER,
    applied_at TIMESTAMP NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'applied',
    status_changed_at TIMESTAMP NOT NULL,
    decline_reason VARCHAR,
    notes VARCHAR,
    is_demo BOOLEAN NOT NULL DEFAULT false,
    first_import_id BIGINT,
    last_import_id BIGINT,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE applicant_skills (
    applicant_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('offer', 'want')),
    position INTEGER NOT NULL,
    raw VARCHAR NOT NULL
);

CREATE TABLE status_history (
    id BIGINT PRIMARY KEY DEFAULT nextval('status_history_id_seq'),
    applicant_id BIGINT NOT NULL,
    from_status VARCHAR,
    to_status VARCHAR NOT NULL,
    reason VARCHAR,
    changed_at TIMESTAMP NOT NULL,
    moderator VARCHAR NOT NULL DEFAULT 'local'
);

CREATE TABLE import_rejects (
    import_id BIGINT NOT NULL,
    row_number INTEGER NOT NULL,
    reason VARCHAR NOT NULL,
    raw JSON NOT NULL,
    PRIMARY KEY (import_id, row_number)
);

CREATE TABLE settings (
    key VARCHAR PRIMARY KEY,
    value JSON NOT NULL
);

CREATE TABLE audit_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    happened_at TIMESTAMP NOT NULL,
    moderator VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    details JSON
);
