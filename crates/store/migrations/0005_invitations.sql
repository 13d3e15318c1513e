-- Invitations: a person joins a workspace by accepting one. Only the link's hash is kept.
-- status: pending, accepted, declined, revoked (expired = pending past expires_at).
CREATE TABLE invitations (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    grp TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL,
    invited_by BIGINT REFERENCES users(id),
    accepted_by BIGINT REFERENCES users(id),
    created_at {ts} NOT NULL,
    expires_at {ts} NOT NULL,
    decided_at {ts}
);
CREATE INDEX invitations_by_workspace ON invitations (workspace_id, status, id);
CREATE INDEX invitations_by_email ON invitations (email, status);
