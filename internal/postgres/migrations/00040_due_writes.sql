-- +goose Up
-- A slot writes a slot_readers row for each reader due: a hundred
-- thousand at once when a popular hour comes. The rows are written with
-- their slot, in the transaction that makes it, and editions are never
-- deleted: checking each row's edition took longer than writing the row.
-- (Its subscriber is still checked: an erased reader's rows go with them.)
ALTER TABLE slot_readers DROP CONSTRAINT slot_readers_edition_id_fkey;

-- +goose Down
ALTER TABLE slot_readers ADD CONSTRAINT slot_readers_edition_id_fkey
    FOREIGN KEY (edition_id) REFERENCES editions (id) ON DELETE CASCADE;
