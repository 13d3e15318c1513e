import { api, call } from '../../api/client';
import { inItem, inWs } from '../../api/paths';
import type { components } from '../../api/schema';

export type Import = components['schemas']['Import'];
export type ImportPreview = components['schemas']['ImportPreview'];
export type ImportIssue = components['schemas']['ImportIssue'];
export type Mapping = Record<string, number>;

export const importApi = {
  /** Sends the file as it is; the server reads it by its name's extension. */
  upload: (w: number, file: File) =>
    call(
      api.POST('/api/v1/workspaces/{workspace_id}/imports', {
        params: { ...inWs(w), query: { kind: 'accounts', file_name: file.name } },
        // The body is the file's bytes, not JSON.
        body: file as unknown as number[],
        bodySerializer: (b: unknown) => b as BodyInit,
        headers: { 'Content-Type': 'application/octet-stream' },
      }),
    ),
  get: (w: number, id: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/imports/{id}', { params: inItem(w, id) })),
  preview: (w: number, id: number, mapping: Mapping) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/imports/{id}/preview', { params: inItem(w, id), body: { mapping } })),
  commit: (w: number, id: number, mapping: Mapping, skipInvalid: boolean) =>
    call(
      api.POST('/api/v1/workspaces/{workspace_id}/imports/{id}/commit', {
        params: inItem(w, id),
        body: { mapping, skip_invalid: skipInvalid },
      }),
    ),
};
