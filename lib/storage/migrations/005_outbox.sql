-- Schema version 5: the outbox. Every message the dashboard drafts, the moderator edits, sends or discards.
-- Nothing is deleted here except with an erased member (or the demo): a discarded draft stays, as discarded.
CREATE SEQUENCE message_id_seq START 1;

CREATE TABLE messages (
    id BIGINT PRIMARY KEY DEFAULT nextval('message_id_seq'),
    kind VARCHAR NOT NULL
        CHECK (kind IN ('introduction', 'partner_left', 'farewell', 'welcome', 'declined', 'note', 'checkin', 'digest')),
    recipients JSON NOT NULL,          -- [{"name": ..., "email": ...}]: the To line, and the envelope's only recipients
    subject VARCHAR NOT NULL,
    body VARCHAR NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'failed', 'discarded')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP,
    message_id VARCHAR,                -- the SMTP Message-ID, recorded in the transaction that marks it sent
    error VARCHAR,                     -- the last failure, in a sentence
    pair_id BIGINT,
    ending_id BIGINT,                  -- a farewell's ending: a pasted reply becomes that ending's feedback
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_at TIMESTAMP,              -- set while one sender has it in hand: nobody else sends it meanwhile
    uncertain BOOLEAN NOT NULL DEFAULT false,  -- a sender stopped mid-send: it may have gone; only sent by its id
    moderator VARCHAR NOT NULL,
    is_demo BOOLEAN NOT NULL DEFAULT false
);

-- The members a message concerns (its recipients, and the member a note is about).
CREATE TABLE message_members (
    message_id BIGINT NOT NULL,
    applicant_id BIGINT NOT NULL,
    PRIMARY KEY (message_id, applicant_id)
);
