-- Schema version 6: time as an input. What members said about their free time and weekly budget, the
-- pace and snoozes of a pair, and a calendar invitation carried by an introduction.
ALTER TABLE applicants ADD COLUMN availability JSON;        -- [{"day": "mon", "start": "18:00", "end": "22:00"}] local time; NULL unknown
ALTER TABLE applicants ADD COLUMN availability_text VARCHAR; -- their answers as written (the grid's cells or free text)
ALTER TABLE applicants ADD COLUMN hours_per_week DOUBLE;     -- the weekly budget; NULL unknown
ALTER TABLE applicants ADD COLUMN budget_text VARCHAR;       -- the budget answer as written

ALTER TABLE pairings ADD COLUMN cadence_weeks INTEGER DEFAULT 1;  -- 1 weekly, 2 every two weeks
ALTER TABLE pairings ADD COLUMN snoozed_until DATE;
ALTER TABLE pairings ADD COLUMN snooze_note VARCHAR;
ALTER TABLE pairings ADD COLUMN shared_hours DOUBLE;              -- hours a week both were free when confirmed
UPDATE pairings SET cadence_weeks = 1;

ALTER TABLE messages ADD COLUMN calendar VARCHAR;                 -- an RFC 5545 invitation sent with the message
