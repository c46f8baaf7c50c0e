-- Schema version 7: a pair's pace changes (every one or two weeks) and snoozes, each kept with what it
-- replaced so the last one can be undone.
CREATE SEQUENCE pace_change_id_seq START 1;
CREATE TABLE pace_changes (
    id BIGINT PRIMARY KEY DEFAULT nextval('pace_change_id_seq'),
    pairing_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('cadence', 'snooze', 'wake')),
    before JSON NOT NULL,      -- {"cadence_weeks", "snoozed_until", "snooze_note"} as they were
    after JSON NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    moderator VARCHAR NOT NULL,
    undone_at TIMESTAMP
);
