-- +goose Up
-- What each editor may do, given by the owner (domain.Roles): edit and
-- send, and manage subscribers, apart. Editors made before roles existed
-- keep editing and sending; managing subscribers is given explicitly.
ALTER TABLE editors ADD COLUMN can_edit boolean NOT NULL DEFAULT true;
ALTER TABLE editors ADD COLUMN can_manage_subscribers boolean NOT NULL DEFAULT false;

-- Sessions get a number the owner's page can name them by (the token hash
-- is the key, and stays out of pages).
ALTER TABLE admin_sessions ADD COLUMN id bigserial UNIQUE;

-- +goose Down
ALTER TABLE admin_sessions DROP COLUMN id;
ALTER TABLE editors DROP COLUMN can_manage_subscribers;
ALTER TABLE editors DROP COLUMN can_edit;
