-- Saved import mappings: a team's own "preset" for the files it imports every week — each
-- field with the header(s) it is read from.
CREATE TABLE import_mappings (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    columns {json} NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL,
    UNIQUE (workspace_id, kind, name)
);
