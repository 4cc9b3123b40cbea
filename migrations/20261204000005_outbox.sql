-- Every notice is written here in the same transaction as the change
-- that causes it; a worker sends it and records what happened.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    -- What happened: entry_submitted, entry_returned, unit_invitation…
    event       TEXT NOT NULL,
    to_email    TEXT NOT NULL,
    to_name     TEXT NOT NULL DEFAULT '',
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    body_html   TEXT NOT NULL,
    -- queued → sending → sent, or back to queued for a retry, or failed
    -- after the last attempt. A row found 'sending' at start was cut off
    -- by a crash and is queued again.
    state       TEXT NOT NULL DEFAULT 'queued'
                CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_try_at TEXT NOT NULL,
    last_error  TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    sent_at     TEXT
);
CREATE INDEX outbox_due ON outbox (state, next_try_at);
