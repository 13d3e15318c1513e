-- Each board column's end: the highest position given to a card placed at the end of the
-- column (a new item, a move to the bottom, an item the workflow moves on). A card joining the
-- end takes the next one from this row in the same statement, so a create needs no lock and
-- no read before it; on PostgreSQL the row is also the column's lock for moves. A missing row
-- is made from the column's cards on first use, so no backfill is needed.
CREATE TABLE board_columns (
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    stage TEXT NOT NULL,
    last_position DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (workspace_id, stage)
);
