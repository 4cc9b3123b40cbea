-- Academic titles and degrees of a judge as the organizer's list gives them
-- ("PGS.TS.", "ThS."), shown beside the name; kept apart from the name so
-- that names compare and sort cleanly.
ALTER TABLE judges ADD COLUMN title TEXT NOT NULL DEFAULT '';
