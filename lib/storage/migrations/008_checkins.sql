-- Schema version 8: the check-in loop. A check-in is the scheduled question to both members of a pair
-- ("how is it going?"); each member's answer is kept. The moderator's own notes stay in pairing_checkins.
CREATE SEQUENCE checkin_round_id_seq START 1;
CREATE SEQUENCE checkin_answer_id_seq START 1;

CREATE TABLE checkins (
    id BIGINT PRIMARY KEY DEFAULT nextval('checkin_round_id_seq'),
    pairing_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('trial', 'pulse')),
    due_on DATE NOT NULL,
    drafted_at TIMESTAMP,              -- when its messages were drafted into the outbox
    sent_at TIMESTAMP,                 -- set for check-ins asked outside the outbox (the demo's made-up year);
                                       -- otherwise "sent" is read from its messages
    created_at TIMESTAMP NOT NULL,
    moderator VARCHAR NOT NULL
);

-- One answer per member and check-in: a newer answer of the same member replaces the older one.
CREATE TABLE checkin_answers (
    id BIGINT PRIMARY KEY DEFAULT nextval('checkin_answer_id_seq'),
    checkin_id BIGINT NOT NULL,
    pairing_id BIGINT NOT NULL,
    applicant_id BIGINT NOT NULL,
    answered_at TIMESTAMP NOT NULL,
    met BOOLEAN NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    time_problem VARCHAR CHECK (time_problem IN ('no', 'a-bit', 'yes')),
    note VARCHAR,
    source VARCHAR NOT NULL CHECK (source IN ('form', 'by hand', 'command line', 'demo')),
    recorded_at TIMESTAMP NOT NULL,
    moderator VARCHAR NOT NULL,
    UNIQUE (checkin_id, applicant_id)
);

-- Which outbox messages asked a check-in (one per member).
ALTER TABLE messages ADD COLUMN checkin_id BIGINT;
