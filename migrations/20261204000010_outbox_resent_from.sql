-- A copy made by "Gửi lại" points to the message it repeats, so that a
-- double click makes one copy, not two.
ALTER TABLE outbox ADD COLUMN resent_from INTEGER REFERENCES outbox (id);
