-- Counts password changes; a session remembers the count it signed in
-- with, so setting a new password ends every other session.
ALTER TABLE users ADD COLUMN password_epoch INTEGER NOT NULL DEFAULT 0;
