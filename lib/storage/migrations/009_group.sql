-- Schema version 9: the Google group's member list (the roster), as last exported by the moderator.
-- A re-import replaces every row of group_roster in one transaction; group_roster_imports keeps one row per
-- import (when, from which file, the export's date), so the dashboard can say "exported 12 days ago".
CREATE SEQUENCE group_roster_import_id_seq START 1;

CREATE TABLE group_roster_imports (
    id BIGINT PRIMARY KEY DEFAULT nextval('group_roster_import_id_seq'),
    imported_at TIMESTAMP NOT NULL,
    exported_at TIMESTAMP NOT NULL,        -- the date in the file's name, else the moment of import
    exported_from VARCHAR NOT NULL CHECK (exported_from IN ('file name', 'import time')),
    filename VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    source VARCHAR NOT NULL,               -- 'Google Groups' or 'Google Workspace admin console'
    members INTEGER NOT NULL,
    moderator VARCHAR NOT NULL
);

-- The group's members as of the latest import; addresses lower-cased.
CREATE TABLE group_roster (
    email VARCHAR PRIMARY KEY,
    nickname VARCHAR,                      -- the name the group shows, when the export has one
    role VARCHAR,                          -- member, manager or owner, when the export says
    joined_on DATE,
    import_id BIGINT NOT NULL
);
