-- Judging that organizers can defend: rounds with their own rubric,
-- councils with roles, per-entry assignments, conflicts of interest, the
-- edition's ranking settings, council votes, honors ballots, the final
-- results and an audit log.

-- Vòng chấm. Every edition has a final round (chung khảo); an organizer
-- may put a screening round (sơ khảo) before it. Entries of the first
-- round are the registered ones; a later round sees only those advanced
-- into it.
CREATE TABLE rounds (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('screening', 'final')),
    name       TEXT NOT NULL,
    -- Screening by threshold: an entry whose figure reaches this is
    -- proposed to advance. NULL: the organizer passes or fails each entry.
    pass_centi INTEGER CHECK (pass_centi >= 0),
    -- The step scores go by in this round; NULL: the edition's step.
    step_centi INTEGER CHECK (step_centi > 0),
    -- Dates of the round, yyyy-mm-dd in the edition's time zone.
    opens_on   TEXT,
    closes_on  TEXT,
    UNIQUE (edition_id, position)
);
INSERT INTO rounds (edition_id, position, kind, name)
    SELECT id, 1, 'final', 'Chung khảo' FROM editions;

-- Criteria belong to a round's rubric. A weight in percent scales the
-- criterion in a judge's total (100: counts once). Bands describe score
-- ranges for the judge, as JSON [{"from":2700,"to":3000,"label":"…"}]
-- in hundredths of a point.
ALTER TABLE criteria ADD COLUMN round_id INTEGER REFERENCES rounds (id) ON DELETE CASCADE;
ALTER TABLE criteria ADD COLUMN weight_percent INTEGER NOT NULL DEFAULT 100
    CHECK (weight_percent BETWEEN 1 AND 1000);
ALTER TABLE criteria ADD COLUMN bands TEXT NOT NULL DEFAULT '[]';
UPDATE criteria SET round_id = (SELECT r.id FROM rounds r WHERE r.edition_id = criteria.edition_id);
CREATE INDEX criteria_by_round ON criteria (round_id, position);

-- Score sheets now belong to a round: one judge's sheet for one entry in
-- one round. Rebuilt because the UNIQUE constraint changes.
CREATE TABLE score_sheets_new (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    entry_id     INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    judge_id     INTEGER NOT NULL REFERENCES judges (id) ON DELETE CASCADE,
    -- Set once submitted; a submitted sheet is locked and counts.
    submitted_at TEXT,
    -- 'judge': typed on the score form; 'import': from a paper sheet.
    source       TEXT NOT NULL DEFAULT 'judge' CHECK (source IN ('judge', 'import')),
    UNIQUE (round_id, entry_id, judge_id)
);
INSERT INTO score_sheets_new (id, round_id, entry_id, judge_id, submitted_at)
    SELECT s.id,
           (SELECT r.id FROM rounds r JOIN entries e ON e.edition_id = r.edition_id
             WHERE e.id = s.entry_id),
           s.entry_id, s.judge_id, s.submitted_at
      FROM score_sheets s;
DROP TABLE score_sheets;
ALTER TABLE score_sheets_new RENAME TO score_sheets;
CREATE INDEX score_sheets_by_judge ON score_sheets (judge_id);
CREATE INDEX score_sheets_by_entry ON score_sheets (entry_id);

-- Hội đồng giám khảo. A council judges the entries of one field, or of one
-- level group (youth); with neither, every entry of the edition (the
-- honors selection council).
CREATE TABLE councils (
    id               INTEGER PRIMARY KEY,
    round_id         INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    field_id         INTEGER REFERENCES fields (id) ON DELETE CASCADE,
    level_group_id   INTEGER REFERENCES level_groups (id) ON DELETE CASCADE,
    -- Honors: set when the organizer closes the secret ballot; tallies
    -- are shown only after that, so nobody can watch them move.
    ballot_closed_at TEXT
);
CREATE INDEX councils_by_round ON councils (round_id);

CREATE TABLE council_members (
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    judge_id   INTEGER NOT NULL REFERENCES judges (id) ON DELETE CASCADE,
    role       TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('chair', 'secretary', 'member')),
    -- Present at the meeting that votes: thresholds count these.
    present    INTEGER NOT NULL DEFAULT 1 CHECK (present IN (0, 1)),
    PRIMARY KEY (council_id, judge_id)
);
CREATE INDEX council_members_by_judge ON council_members (judge_id);

-- The judges' fields become one council per field in the final round.
INSERT INTO councils (round_id, name, field_id)
    SELECT DISTINCT r.id, 'Hội đồng ' || f.name, f.id
      FROM judge_fields jf
      JOIN fields f ON f.id = jf.field_id
      JOIN rounds r ON r.edition_id = f.edition_id;
INSERT INTO council_members (council_id, judge_id, role)
    SELECT c.id, jf.judge_id,
           CASE WHEN j.council_role LIKE 'Chủ tịch%' THEN 'chair'
                WHEN j.council_role LIKE 'Thư ký%' THEN 'secretary'
                ELSE 'member' END
      FROM judge_fields jf
      JOIN judges j ON j.id = jf.judge_id
      JOIN councils c ON c.field_id = jf.field_id;
DROP TABLE judge_fields;

-- Which judges of its council score an entry. With no row for an entry in
-- a round, the whole council scores it (the union's usual way).
CREATE TABLE assignments (
    round_id   INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    judge_id   INTEGER NOT NULL REFERENCES judges (id) ON DELETE CASCADE,
    source     TEXT NOT NULL CHECK (source IN ('manual', 'file', 'auto')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (round_id, entry_id, judge_id)
);

-- Entries the organizer confirmed into a later round.
CREATE TABLE advancements (
    round_id     INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    entry_id     INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    confirmed_by INTEGER NOT NULL REFERENCES users (id),
    confirmed_at TEXT NOT NULL,
    PRIMARY KEY (round_id, entry_id)
);

-- Xung đột lợi ích: detected from the people and units of an entry, or
-- declared by the judge. A conflicted judge can neither open nor score the
-- entry unless the organizer records an override with a reason.
CREATE TABLE conflicts (
    entry_id        INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    judge_id        INTEGER NOT NULL REFERENCES judges (id) ON DELETE CASCADE,
    source          TEXT NOT NULL CHECK (source IN ('detected', 'declared')),
    reason          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    override_reason TEXT,
    overridden_by   INTEGER REFERENCES users (id),
    overridden_at   TEXT,
    PRIMARY KEY (entry_id, judge_id)
);
CREATE INDEX conflicts_by_judge ON conflicts (judge_id);

-- Who scores what in a round: the council's members for the entries it
-- judges (all of them, or those assigned), less any judge with a conflict
-- that was not overridden. Every judge read and write goes through this.
CREATE VIEW judge_scope AS
WITH council_entries AS (
    SELECT c.round_id, c.id AS council_id, e.id AS entry_id
      FROM councils c
      JOIN rounds r ON r.id = c.round_id
      JOIN entries e ON e.edition_id = r.edition_id
     WHERE e.state IN ('submitted', 'accepted')
       AND (c.field_id IS NULL OR c.field_id = e.field_id)
       AND (c.level_group_id IS NULL OR c.level_group_id = e.level_group_id)
       AND (r.position = (SELECT MIN(position) FROM rounds WHERE edition_id = r.edition_id)
            OR EXISTS (SELECT 1 FROM advancements a
                        WHERE a.round_id = r.id AND a.entry_id = e.id))
)
SELECT ce.round_id, ce.council_id, ce.entry_id, cm.judge_id
  FROM council_entries ce
  JOIN council_members cm ON cm.council_id = ce.council_id
 WHERE (NOT EXISTS (SELECT 1 FROM assignments a
                     WHERE a.round_id = ce.round_id AND a.entry_id = ce.entry_id)
        OR EXISTS (SELECT 1 FROM assignments a
                    WHERE a.round_id = ce.round_id AND a.entry_id = ce.entry_id
                      AND a.judge_id = cm.judge_id))
   AND NOT EXISTS (SELECT 1 FROM conflicts x
                    WHERE x.entry_id = ce.entry_id AND x.judge_id = cm.judge_id
                      AND x.overridden_at IS NULL);

-- How an edition ranks and decides.
ALTER TABLE editions ADD COLUMN ranking_method TEXT NOT NULL DEFAULT 'mean'
    CHECK (ranking_method IN ('mean', 'median', 'trimmed', 'standardized'));
-- Judges' totals further apart than this flag the entry.
ALTER TABLE editions ADD COLUMN disagreement_centi INTEGER NOT NULL DEFAULT 1500;
-- Entries within this of a prize boundary are listed for another look.
ALTER TABLE editions ADD COLUMN near_margin_centi INTEGER NOT NULL DEFAULT 200;
-- Criterion positions that break equal figures, in order: "1,2".
ALTER TABLE editions ADD COLUMN tie_breaks TEXT NOT NULL DEFAULT '';
-- Entries tied across a quota: 'move_down' (neither gets the prize) or
-- 'award_all' (both do).
ALTER TABLE editions ADD COLUMN boundary_tie TEXT NOT NULL DEFAULT 'move_down'
    CHECK (boundary_tie IN ('move_down', 'award_all'));
-- 1: after submitting, a judge sees the other judges' scores.
ALTER TABLE editions ADD COLUMN peers_after_submit INTEGER NOT NULL DEFAULT 0
    CHECK (peers_after_submit IN (0, 1));
-- The share of members present a vote or ballot needs: 2/3 by default.
ALTER TABLE editions ADD COLUMN vote_numerator INTEGER NOT NULL DEFAULT 2;
ALTER TABLE editions ADD COLUMN vote_denominator INTEGER NOT NULL DEFAULT 3;
-- Set when the organizer finalizes the results; cleared by a reopening.
ALTER TABLE editions ADD COLUMN results_final_at TEXT;

-- Marked for the national contest (VIFOTEC, the national youth contest).
ALTER TABLE entries ADD COLUMN national INTEGER NOT NULL DEFAULT 0 CHECK (national IN (0, 1));
-- The code the secretariat's own lists use (e.g. "GP-01"), matched by the
-- score sheet import beside the system's code.
ALTER TABLE entries ADD COLUMN file_code TEXT NOT NULL DEFAULT '';

-- A council member's yes or no on the prize proposed for an entry. The
-- prize is kept with the vote: a vote on a proposal that has since
-- changed no longer counts.
CREATE TABLE prize_votes (
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    judge_id   INTEGER NOT NULL REFERENCES judges (id) ON DELETE CASCADE,
    prize      TEXT NOT NULL,
    vote       TEXT NOT NULL CHECK (vote IN ('yes', 'no')),
    cast_at    TEXT NOT NULL,
    PRIMARY KEY (council_id, entry_id, judge_id)
);

-- Honors secret ballot. Who has voted is kept, to refuse a second vote;
-- how is never kept: a choice only adds one to the tally, in the same
-- transaction, and no table links a member to a choice.
CREATE TABLE ballot_voters (
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    judge_id   INTEGER NOT NULL REFERENCES judges (id) ON DELETE CASCADE,
    PRIMARY KEY (council_id, entry_id, judge_id)
) WITHOUT ROWID;
CREATE TABLE ballot_tallies (
    council_id INTEGER NOT NULL REFERENCES councils (id) ON DELETE CASCADE,
    entry_id   INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    agree      INTEGER NOT NULL DEFAULT 0,
    disagree   INTEGER NOT NULL DEFAULT 0,
    abstain    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (council_id, entry_id)
);

-- The results as finalized: what the union announces. Empty until then.
CREATE TABLE final_results (
    entry_id     INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
    edition_id   INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    rank         INTEGER NOT NULL,
    prize        TEXT,
    figure_centi INTEGER NOT NULL
);

-- Nhật ký: every score change, reopening, override, vote count and final
-- decision, in order. Rows are only ever added.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    edition_id INTEGER NOT NULL REFERENCES editions (id) ON DELETE CASCADE,
    at         TEXT NOT NULL,
    actor_id   INTEGER REFERENCES users (id),
    action     TEXT NOT NULL,
    entry_id   INTEGER REFERENCES entries (id) ON DELETE SET NULL,
    judge_id   INTEGER REFERENCES judges (id) ON DELETE SET NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_by_edition ON audit_log (edition_id, id);
