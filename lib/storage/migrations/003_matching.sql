-- Schema version 3: pairings, who is in an open pairing, pauses and never-pair marks.
CREATE SEQUENCE pairing_id_seq START 1;

CREATE TABLE pairings (
    id BIGINT PRIMARY KEY DEFAULT nextval('pairing_id_seq'),
    a_id BIGINT NOT NULL,
    b_id BIGINT NOT NULL,
    state VARCHAR NOT NULL CHECK (state IN ('proposed', 'trial', 'active', 'ended')),
    score DOUBLE,
    reasons JSON,
    a_teaches_b JSON NOT NULL,
    b_teaches_a JSON NOT NULL,
    created_at TIMESTAMP NOT NULL,
    state_changed_at TIMESTAMP NOT NULL,
    moderator VARCHAR NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT false
);

-- One row per member in a pairing that has not ended: the primary key is what makes two
-- moderators' overlapping confirms impossible (the second insert of a member fails).
CREATE TABLE open_pair_members (
    applicant_id BIGINT PRIMARY KEY,
    pairing_id BIGINT NOT NULL
);

CREATE TABLE member_pauses (
    applicant_id BIGINT PRIMARY KEY,
    until DATE NOT NULL,
    note VARCHAR,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE never_pair (
    low_id BIGINT NOT NULL,
    high_id BIGINT NOT NULL,
    reason VARCHAR,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (low_id, high_id)
);

-- When a member last went back into the pool after a partner's drop-out (priority in matching).
ALTER TABLE applicants ADD COLUMN requeued_at TIMESTAMP;
