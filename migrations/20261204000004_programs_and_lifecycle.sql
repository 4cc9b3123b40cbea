-- All three programs and the entry lifecycle.
--
-- The Youth and Children Creativity Contest (entries made by pupils, with
-- supervising teachers) and the honors (candidates nominated by units)
-- join the Technical Creativity Contest. Entries of every program share
-- one table and one lifecycle: draft, submitted, returned for completion,
-- accepted, rejected, each change kept in entry_events.
--
-- SQLite changes a CHECK constraint only by rebuilding the table. These
-- rebuilds run with foreign keys off (see server::db) and keep every id,
-- so the rows that refer to them stay right.

-- Renaming a rebuilt table over the dropped one must not make SQLite
-- re-check every other table's references in the middle of the rebuild.
PRAGMA legacy_alter_table = ON;

-- Nominating units (member associations, universities, departments) sign
-- in with role 'unit'; their account's full_name is the unit's name.
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('organizer', 'contestant', 'judge', 'unit')),
    password_hash TEXT,
    created_at    TEXT NOT NULL
);
INSERT INTO users_new (id, email, full_name, role, password_hash, created_at)
    SELECT id, email, full_name, role, password_hash, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

CREATE TABLE editions_new (
    id                    INTEGER PRIMARY KEY,
    contest_kind          TEXT NOT NULL CHECK (contest_kind IN ('technical', 'youth', 'honors')),
    name                  TEXT NOT NULL,
    number                INTEGER NOT NULL CHECK (number > 0),
    year                  INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    time_zone             TEXT NOT NULL DEFAULT 'Asia/Ho_Chi_Minh',
    registration_deadline TEXT NOT NULL,
    state                 TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open')),
    score_step_centi      INTEGER NOT NULL CHECK (score_step_centi > 0),
    prize_floor_centi     INTEGER NOT NULL CHECK (prize_floor_centi >= 0),
    created_at            TEXT NOT NULL,
    entries_numbered      INTEGER NOT NULL DEFAULT 0,
    -- Youth: every member's age, counted by exact birthday on age_on
    -- (yyyy-mm-dd), lies in [age_min, age_max]; a group has at most
    -- group_max members.
    age_min               INTEGER,
    age_max               INTEGER,
    age_on                TEXT,
    group_max             INTEGER,
    -- Honors: 1 when a person may nominate themselves, not only a unit.
    self_nomination       INTEGER NOT NULL DEFAULT 0 CHECK (self_nomination IN (0, 1)),
    UNIQUE (contest_kind, number)
);
INSERT INTO editions_new (id, contest_kind, name, number, year, time_zone, registration_deadline,
                          state, score_step_centi, prize_floor_centi, created_at, entries_numbered)
    SELECT id, contest_kind, name, number, year, time_zone, registration_deadline,
           state, score_step_centi, prize_floor_centi, created_at, entries_numbered
      FROM editions;
DROP TABLE editions;
ALTER TABLE editions_new RENAME TO editions;

-- In an honors edition a field is a category (new PhD holders, young
-- talents, exemplary intellectuals) with its own eligibility rule.
-- The candidate's age on the edition's age_on is at most this.
ALTER TABLE fields ADD COLUMN age_max INTEGER;
-- The doctorate was awarded within [degree_from, degree_to] (yyyy-mm-dd).
ALTER TABLE fields ADD COLUMN degree_from TEXT;
ALTER TABLE fields ADD COLUMN degree_to TEXT;

-- The checklist of a category: what a unit ticks, with evidence.
CREATE TABLE honor_criteria (
    id       INTEGER PRIMARY KEY,
    field_id INTEGER NOT NULL REFERENCES fields (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text     TEXT NOT NULL
);

-- Youth: entries are ranked apart by level group ("Tiểu học và THCS",
-- "THPT"). `levels` lists the school levels the group takes, comma
-- separated: preschool, primary, lower_secondary, upper_secondary, higher.
CREATE TABLE level_groups (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    name       TEXT NOT NULL,
    levels     TEXT NOT NULL,
    UNIQUE (edition_id, name)
);

CREATE TABLE entries_new (
    id                  INTEGER PRIMARY KEY,
    edition_id          INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    field_id            INTEGER NOT NULL REFERENCES fields (id),
    owner_id            INTEGER NOT NULL REFERENCES users (id),
    code                TEXT NOT NULL,
    -- The solution's, product's or candidate's name as lists show it.
    title               TEXT NOT NULL,
    summary             TEXT NOT NULL DEFAULT '',
    -- Technical only: applied in practice since this date, by this unit.
    applied_since       TEXT,
    applying_unit       TEXT NOT NULL DEFAULT '',
    description_file_id INTEGER REFERENCES files (id),
    -- Youth only: a link to a video of the product, and the level group
    -- derived from the members' school levels.
    video_url           TEXT NOT NULL DEFAULT '',
    level_group_id      INTEGER REFERENCES level_groups (id),
    state               TEXT NOT NULL DEFAULT 'draft'
                        CHECK (state IN ('draft', 'submitted', 'returned', 'accepted', 'rejected')),
    -- The organizer's reason for the current state (returned, rejected).
    state_reason        TEXT NOT NULL DEFAULT '',
    -- A returned entry may be edited until this instant (UTC), even after
    -- the registration deadline.
    return_due          TEXT,
    submitted_at        TEXT,
    -- Names and title folded to lowercase without accents, for search.
    search_text         TEXT NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    UNIQUE (edition_id, code)
);
INSERT INTO entries_new (id, edition_id, field_id, owner_id, code, title, summary, applied_since,
                         applying_unit, description_file_id, state, submitted_at, created_at,
                         updated_at)
    SELECT id, edition_id, field_id, owner_id, code, title, summary, applied_since,
           applying_unit, description_file_id, state,
           CASE state WHEN 'submitted' THEN updated_at END, created_at, updated_at
      FROM entries;
DROP TABLE entries;
ALTER TABLE entries_new RENAME TO entries;
CREATE INDEX entries_by_owner ON entries (owner_id);
CREATE INDEX entries_by_field ON entries (field_id);
CREATE INDEX entries_by_edition_state ON entries (edition_id, state);

-- Youth: the pupils who made the product. No district: Vietnam's
-- districts were abolished in 2025, addresses are commune and province.
CREATE TABLE members (
    id         INTEGER PRIMARY KEY,
    entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    full_name  TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    school     TEXT NOT NULL,
    grade      TEXT NOT NULL,
    -- Derived from the grade and the school's name (see domain::youth).
    level      TEXT NOT NULL,
    commune    TEXT NOT NULL DEFAULT '',
    province   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX members_by_entry ON members (entry_id);

-- Youth: one or two supervising teachers.
CREATE TABLE supervisors (
    id        INTEGER PRIMARY KEY,
    entry_id  INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    full_name TEXT NOT NULL,
    school    TEXT NOT NULL DEFAULT '',
    phone     TEXT NOT NULL DEFAULT '',
    email     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX supervisors_by_entry ON supervisors (entry_id);

-- Honors: the person a nomination (an entry of an honors edition) is for.
CREATE TABLE candidates (
    entry_id       INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
    full_name      TEXT NOT NULL,
    birth_date     TEXT NOT NULL,
    email          TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    -- Học vị (TS., ThS.) and when the highest degree was awarded.
    degree         TEXT NOT NULL DEFAULT '',
    degree_date    TEXT,
    -- Học hàm and titles (GS., PGS., NGƯT, NGND, TTƯT, TTND).
    academic_title TEXT NOT NULL DEFAULT '',
    expertise      TEXT NOT NULL DEFAULT '',
    workplace      TEXT NOT NULL DEFAULT '',
    achievements   TEXT NOT NULL DEFAULT '',
    -- The unit that put the candidate forward, as named on paper lists;
    -- for a nomination made online it is the owner account's name.
    nominating_unit TEXT NOT NULL DEFAULT ''
);

-- Honors: the criteria of the category a nomination says are met.
CREATE TABLE entry_checks (
    entry_id     INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    criterion_id INTEGER NOT NULL REFERENCES honor_criteria (id) ON DELETE CASCADE,
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (entry_id, criterion_id)
);

-- Files beside the technical description: evidence, drawings, photos.
CREATE TABLE entry_files (
    id           INTEGER PRIMARY KEY,
    entry_id     INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    file_id      INTEGER NOT NULL UNIQUE REFERENCES files (id),
    kind         TEXT NOT NULL CHECK (kind IN ('description', 'evidence', 'drawing', 'photo', 'other')),
    -- For honors evidence: the criterion it supports, if one.
    criterion_id INTEGER REFERENCES honor_criteria (id) ON DELETE SET NULL
);
CREATE INDEX entry_files_by_entry ON entry_files (entry_id);

-- Every change of an entry's state: who, when, why.
CREATE TABLE entry_events (
    id         INTEGER PRIMARY KEY,
    entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    actor_id   INTEGER NOT NULL REFERENCES users (id),
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    -- For a return: until when the owner may complete the entry (UTC).
    due        TEXT
);
CREATE INDEX entry_events_by_entry ON entry_events (entry_id);

-- What a person was typing in a long form, saved by the browser every few
-- seconds, so that an expired session or a dropped network loses nothing.
CREATE TABLE form_drafts (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    form_key   TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, form_key)
);

PRAGMA legacy_alter_table = OFF;
