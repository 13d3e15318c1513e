// Saved mappings (`import-mappings`): what the mapping step keeps of its columns for the next
// file of the same kind, and the name it is offered under. Pure.
import type { Mapping } from './api';

/** The longest name a saved mapping may have (as the server checks). */
export const MAPPING_NAME_MAX = 60;

/**
 * The columns a saved mapping keeps: each mapped field with its column's header, which the
 * server looks for in the next file whatever the columns' order. A field whose column has no
 * header (or is not in the file) could not be found again by name, so it is left out.
 */
export function mappingColumns(mapping: Mapping, headers: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [field, column] of Object.entries(mapping)) {
    const header = headers[column]?.trim();
    if (header) out[field] = [header];
  }
  return out;
}

/** The name a new mapping is offered under: its file's, without the extension, cut to the longest a name may be. */
export function mappingName(fileName: string): string {
  return [...fileName.replace(/\.[^.]*$/, '').trim()].slice(0, MAPPING_NAME_MAX).join('');
}
