-- The organizer's own wording of a notice; an event without a row uses
-- the built-in Vietnamese default.
CREATE TABLE mail_templates (
    event      TEXT PRIMARY KEY,
    subject    TEXT NOT NULL,
    body_text  TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
