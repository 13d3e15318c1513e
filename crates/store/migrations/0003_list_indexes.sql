-- The account list walks (workspace, id) newest first and skips archived accounts: with the
-- status in the index, a deep page skips its rows inside the index instead of reading each
-- row of the table.
DROP INDEX accounts_by_id;
CREATE INDEX accounts_by_id ON accounts (workspace_id, id, status);
