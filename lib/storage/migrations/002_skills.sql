-- Schema version 2: one vocabulary of canonical skills, the words that map to them, merges.
CREATE SEQUENCE skill_id_seq START 1;
CREATE SEQUENCE skill_merge_id_seq START 1;

CREATE TABLE skills (
    id BIGINT PRIMARY KEY DEFAULT nextval('skill_id_seq'),
    name VARCHAR NOT NULL,
    category VARCHAR,
    source VARCHAR NOT NULL,
    merged_into BIGINT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE skill_aliases (
    alias_key VARCHAR PRIMARY KEY,
    skill_id BIGINT NOT NULL,
    alias VARCHAR NOT NULL,
    source VARCHAR NOT NULL
);

CREATE TABLE skill_merges (
    id BIGINT PRIMARY KEY DEFAULT nextval('skill_merge_id_seq'),
    from_skill_id BIGINT NOT NULL,
    into_skill_id BIGINT NOT NULL,
    merged_at TIMESTAMP NOT NULL,
    moderator VARCHAR NOT NULL,
    moved_aliases JSON NOT NULL,
    undone_at TIMESTAMP
);

ALTER TABLE applicant_skills ADD COLUMN skill_id BIGINT;
