/** Path parameters of a workspace-scoped endpoint. */
export const inWs = (workspace_id: number) => ({ path: { workspace_id } });

/** Path parameters of one record of a workspace. */
export const inItem = (workspace_id: number, id: number) => ({ path: { workspace_id, id } });
