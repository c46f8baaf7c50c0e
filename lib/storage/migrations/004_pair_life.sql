-- Schema version 4: the life of a pairing (moves, check-ins, endings with feedback) and the audit page.
CREATE SEQUENCE pairing_event_id_seq START 1;
CREATE SEQUENCE checkin_id_seq START 1;
CREATE SEQUENCE ending_id_seq START 1;

ALTER TABLE pairings ADD COLUMN started_on DATE;
ALTER TABLE pairings ADD COLUMN trial_on DATE;
ALTER TABLE pairings ADD COLUMN active_on DATE;
ALTER TABLE pairings ADD COLUMN ended_on DATE;
ALTER TABLE pairings ADD COLUMN ended_by VARCHAR;
ALTER TABLE pairings ADD COLUMN end_reason VARCHAR;
ALTER TABLE pairings ADD COLUMN trial_outcome VARCHAR;
ALTER TABLE pairings ADD COLUMN slot_day VARCHAR;
ALTER TABLE pairings ADD COLUMN slot_time VARCHAR;
ALTER TABLE pairings ADD COLUMN slot_zone VARCHAR;
ALTER TABLE pairings ADD COLUMN channel VARCHAR;
UPDATE pairings SET started_on = CAST(created_at AS DATE);

CREATE TABLE pairing_events (
    id BIGINT PRIMARY KEY DEFAULT nextval('pairing_event_id_seq'),
    pairing_id BIGINT NOT NULL,
    from_state VARCHAR,
    to_state VARCHAR NOT NULL,
    happened_on DATE NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    moderator VARCHAR NOT NULL,
    note VARCHAR
);
INSERT INTO pairing_events (pairing_id, from_state, to_state, happened_on, recorded_at, moderator, note)
SELECT id, NULL, 'proposed', CAST(created_at AS DATE), created_at, moderator, 'introduced' FROM pairings;

CREATE TABLE pairing_checkins (
    id BIGINT PRIMARY KEY DEFAULT nextval('checkin_id_seq'),
    pairing_id BIGINT NOT NULL,
    checked_on DATE NOT NULL,
    note VARCHAR,
    recorded_at TIMESTAMP NOT NULL,
    moderator VARCHAR NOT NULL
);

CREATE TABLE end_reasons (
    label VARCHAR PRIMARY KEY,
    position INTEGER NOT NULL,
    happy BOOLEAN NOT NULL DEFAULT false,
    active BOOLEAN NOT NULL DEFAULT true
);
INSERT INTO end_reasons VALUES
    ('time commitment', 1, false, true),
    ('schedule clash or time zones', 2, false, true),
    ('skill mismatch', 3, false, true),
    ('level mismatch', 4, false, true),
    ('partner unresponsive', 5, false, true),
    ('goals met', 6, true, true),
    ('life or work change', 7, false, true),
    ('other', 8, false, true);

-- One row per recorded ending: a pairing that ended (or a trial no-go), or a member who withdrew.
-- `previous` holds the rows the ending changed, so the last ending can be undone exactly.
CREATE TABLE endings (
    id BIGINT PRIMARY KEY DEFAULT nextval('ending_id_seq'),
    kind VARCHAR NOT NULL CHECK (kind IN ('ended', 'no-go', 'withdrawal')),
    pairing_id BIGINT,
    applicant_id BIGINT,
    ended_by VARCHAR,
    reason VARCHAR NOT NULL,
    secondary_reasons JSON,
    feedback VARCHAR,
    feedback_source VARCHAR,
    ended_on DATE NOT NULL,
    left_service JSON,
    recorded_at TIMESTAMP NOT NULL,
    moderator VARCHAR NOT NULL,
    previous JSON NOT NULL,
    undone_at TIMESTAMP
);
