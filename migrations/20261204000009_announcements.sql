-- Mailings the app makes once per edition: the results announcement (on
-- the organizer's word) and the reminder before the deadline (by itself).
CREATE TABLE announcements (
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('results', 'deadline_reminder')),
    at         TEXT NOT NULL,
    recipients INTEGER NOT NULL,
    PRIMARY KEY (edition_id, kind)
);
