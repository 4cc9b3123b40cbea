-- The first schema: one Technical Creativity Contest edition from
-- registration to results. Times are UTC RFC 3339 text; dates are ISO
-- yyyy-mm-dd text; points are INTEGER hundredths of a point ("centi"), so
-- 27.5 points is 2750 and no float ever reaches storage.

-- Everyone who signs in. One role per account: the union's secretariat
-- (organizer), a contestant, or a judge invited by the organizer.
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    -- Lowercase, trimmed, NFC; the sign-in name.
    email         TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('organizer', 'contestant', 'judge')),
    -- Argon2 PHC string. NULL for a judge who has not yet used the one-time
    -- link to set a password: such an account cannot sign in.
    password_hash TEXT,
    created_at    TEXT NOT NULL
);

-- One-time links to set a password. Only the SHA-256 of the token is kept,
-- so a copy of the database does not let anyone use an open link.
CREATE TABLE password_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL,
    -- Set when the link is used; a used link never works again.
    used_at    TEXT
);

-- One run of a contest (e.g. "Hội thi Sáng tạo kỹ thuật lần thứ 12").
CREATE TABLE editions (
    id                    INTEGER PRIMARY KEY,
    contest_kind          TEXT NOT NULL CHECK (contest_kind IN ('technical')),
    name                  TEXT NOT NULL,
    number                INTEGER NOT NULL CHECK (number > 0),
    year                  INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    -- IANA zone in which dates are shown and entered.
    time_zone             TEXT NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
    -- The last instant (UTC) at which an entry may be created or changed.
    registration_deadline TEXT NOT NULL,
    -- draft: being set up, invisible to contestants; open: registration open.
    state                 TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open')),
    -- Every score is a multiple of this step (50 = 0.5 point).
    score_step_centi      INTEGER NOT NULL CHECK (score_step_centi > 0),
    -- No prize below this mean total (5500 = 55 points).
    prize_floor_centi     INTEGER NOT NULL CHECK (prize_floor_centi >= 0),
    created_at            TEXT NOT NULL,
    UNIQUE (contest_kind, number)
);

-- Lĩnh vực: entries compete and are ranked within their field.
CREATE TABLE fields (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    UNIQUE (edition_id, name)
);

-- Tiêu chí of the edition's rubric, in the order judges see them.
CREATE TABLE criteria (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    max_centi  INTEGER NOT NULL CHECK (max_centi > 0)
);

-- Prize levels from the highest (position 1, giải Nhất) down; the quota is
-- how many entries of each field may get this level.
CREATE TABLE prize_levels (
    id              INTEGER PRIMARY KEY,
    edition_id      INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    name            TEXT NOT NULL,
    quota_per_field INTEGER NOT NULL CHECK (quota_per_field >= 0)
);

-- Uploaded files, stored under the data folder by their generated name.
CREATE TABLE files (
    id             INTEGER PRIMARY KEY,
    stored_name    TEXT NOT NULL UNIQUE,
    -- The name the uploader's device gave it, NFC; shown, never used as a path.
    original_name  TEXT NOT NULL,
    -- Decided from the content, not from the name or the browser's claim.
    content_type   TEXT NOT NULL,
    size_bytes     INTEGER NOT NULL,
    uploaded_by    INTEGER NOT NULL REFERENCES users (id),
    created_at     TEXT NOT NULL
);

-- Giải pháp: one technical solution entered by a contestant.
CREATE TABLE entries (
    id                  INTEGER PRIMARY KEY,
    edition_id          INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    field_id            INTEGER NOT NULL REFERENCES fields (id),
    owner_id            INTEGER NOT NULL REFERENCES users (id),
    -- Shown to people, e.g. "STKT12-007"; unique within the edition.
    code                TEXT NOT NULL,
    title               TEXT NOT NULL,
    summary             TEXT NOT NULL,
    -- The solution must have been applied in practice since this date.
    applied_since       TEXT NOT NULL,
    applying_unit       TEXT NOT NULL,
    description_file_id INTEGER REFERENCES files (id),
    -- draft until the owner submits; judges see submitted entries only.
    state               TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted')),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (edition_id, code)
);

CREATE TABLE authors (
    id            INTEGER PRIMARY KEY,
    entry_id      INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    full_name     TEXT NOT NULL,
    birth_date    TEXT NOT NULL,
    phone         TEXT NOT NULL,
    email         TEXT NOT NULL,
    unit          TEXT NOT NULL,
    -- Tỷ lệ đóng góp in whole percent; an entry's shares sum to 100.
    share_percent INTEGER NOT NULL CHECK (share_percent BETWEEN 1 AND 100)
);

-- A person on an edition's panel of judges.
CREATE TABLE judges (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    -- The code from the organizer's list (e.g. "GK04"), if it had one.
    code       TEXT NOT NULL DEFAULT '',
    unit       TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    -- The role in the council as written in the list (Chủ tịch, Thư ký…).
    council_role TEXT NOT NULL DEFAULT '',
    UNIQUE (edition_id, user_id)
);

-- Which fields a judge scores: a judge sees only the entries of these.
CREATE TABLE judge_fields (
    judge_id INTEGER NOT NULL REFERENCES judges (id) ON DELETE CASCADE,
    field_id INTEGER NOT NULL REFERENCES fields (id) ON DELETE CASCADE,
    PRIMARY KEY (judge_id, field_id)
);

-- Phiếu chấm điểm: one judge's sheet for one entry.
CREATE TABLE score_sheets (
    id           INTEGER PRIMARY KEY,
    entry_id     INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    judge_id     INTEGER NOT NULL REFERENCES judges (id) ON DELETE CASCADE,
    -- Set once the judge submits; a submitted sheet is locked and counts
    -- in the results.
    submitted_at TEXT,
    UNIQUE (entry_id, judge_id)
);

CREATE TABLE scores (
    sheet_id     INTEGER NOT NULL REFERENCES score_sheets (id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES criteria (id) ON DELETE CASCADE,
    points_centi INTEGER NOT NULL CHECK (points_centi >= 0),
    PRIMARY KEY (sheet_id, criterion_id)
);

CREATE INDEX entries_by_owner ON entries (owner_id);
CREATE INDEX entries_by_field ON entries (field_id);
CREATE INDEX judges_by_user ON judges (user_id);
