-- Uploaded spreadsheets and their imports: the file as read (header and data rows, as JSON), the
-- mapping last used, and a commit's progress and result. A commit writes in chunks, each in
-- its own transaction with its progress, so a reader sees how far it is and a stopped commit
-- resumes (rows are matched on their key, e.g. platform + handle).
CREATE TABLE imports (
    id {pk},
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    encoding TEXT,
    header_row BIGINT NOT NULL,
    headers {json} NOT NULL,
    sample {json} NOT NULL,
    sheet_rows {json} NOT NULL,
    total_rows BIGINT NOT NULL,
    status TEXT NOT NULL,
    mapping {json} NOT NULL,
    done_rows BIGINT NOT NULL,
    result {json},
    created_by BIGINT REFERENCES users(id),
    created_at {ts} NOT NULL,
    updated_at {ts} NOT NULL
);
CREATE INDEX imports_by_workspace ON imports (workspace_id, id);
