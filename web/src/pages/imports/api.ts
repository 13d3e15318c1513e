import { api, call } from '../../api/client';
import { inItem, inWs } from '../../api/paths';
import type { components, operations } from '../../api/schema';

export type Import = components['schemas']['Import'];
export type ImportKind = components['schemas']['ImportKind'];
export type ImportPreview = components['schemas']['ImportPreview'];
export type ImportIssue = components['schemas']['ImportIssue'];
export type ImportPreset = components['schemas']['ImportPreset'];
export type ImportResult = components['schemas']['ImportResult'];
export type RowResolution = components['schemas']['RowResolution'];
export type ImportMapping = components['schemas']['ImportMapping'];
export type ImportMappingDraft = components['schemas']['ImportMappingDraft'];
export type Mapping = Record<string, number>;
/**
 * What an upload says besides the file: its kind, a saved mapping to start from, and for metric
 * imports the preset, account, encoding, sheet and date.
 */
export type UploadQuery = Omit<operations['upload_import']['parameters']['query'], 'file_name'>;

export const importApi = {
  /** Sends the file as it is; the server reads it by its name's extension. */
  upload: (w: number, file: File, query: UploadQuery = { kind: 'accounts' }) =>
    call(
      api.POST('/api/v1/workspaces/{workspace_id}/imports', {
        params: { ...inWs(w), query: { ...query, file_name: file.name } },
        // The body is the file's bytes, not JSON.
        body: file as unknown as number[],
        bodySerializer: (b: unknown) => b as BodyInit,
        headers: { 'Content-Type': 'application/octet-stream' },
      }),
    ),
  /** The workspace's imports, newest first: of one kind, or of every kind. */
  list: (w: number, kind?: ImportKind) => call(api.GET('/api/v1/workspaces/{workspace_id}/imports', { params: { ...inWs(w), query: kind ? { kind } : {} } })),
  /** The platform exports the server knows (metric imports). */
  presets: (w: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/import-presets', { params: inWs(w) })),
  /** The workspace's saved mappings of one kind of file, by name. */
  mappings: (w: number, kind: ImportKind) =>
    call(api.GET('/api/v1/workspaces/{workspace_id}/import-mappings', { params: { ...inWs(w), query: { kind } } })),
  /** Saves a mapping to start next week's file of the same kind from; a name is taken once per kind. */
  saveMapping: (w: number, body: ImportMappingDraft) => call(api.POST('/api/v1/workspaces/{workspace_id}/import-mappings', { params: inWs(w), body })),
  /** Writes over a saved mapping (its name, kind and columns). */
  replaceMapping: (w: number, id: number, body: ImportMappingDraft) =>
    call(api.PUT('/api/v1/workspaces/{workspace_id}/import-mappings/{id}', { params: inItem(w, id), body })),
  get: (w: number, id: number) => call(api.GET('/api/v1/workspaces/{workspace_id}/imports/{id}', { params: inItem(w, id) })),
  preview: (w: number, id: number, mapping: Mapping, resolutions?: RowResolution[]) =>
    call(api.POST('/api/v1/workspaces/{workspace_id}/imports/{id}/preview', { params: inItem(w, id), body: { mapping, resolutions } })),
  commit: (w: number, id: number, mapping: Mapping, skipInvalid: boolean, resolutions?: RowResolution[]) =>
    call(
      api.POST('/api/v1/workspaces/{workspace_id}/imports/{id}/commit', {
        params: inItem(w, id),
        body: { mapping, skip_invalid: skipInvalid, resolutions },
      }),
    ),
  /** Stops a running commit after its current chunk (what was written stays). */
  cancel: (w: number, id: number) => call(api.POST('/api/v1/workspaces/{workspace_id}/imports/{id}/cancel', { params: inItem(w, id) })),
  /** Takes back everything a committed import wrote. */
  undo: (w: number, id: number) => call(api.POST('/api/v1/workspaces/{workspace_id}/imports/{id}/undo', { params: inItem(w, id) })),
};
