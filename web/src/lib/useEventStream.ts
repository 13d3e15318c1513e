import { useEffect, useRef } from 'react';

/** The part of a streamed change event the UI reacts to (the full `Event` JSON is sent). */
export interface StreamedChange {
  id: number;
  entity_type: string;
  entity_id?: number | null;
  action: string;
  actor_id?: number | null;
}

/** Parses the `data:` of a `change` message; anything malformed is ignored. */
export function parseChange(data: unknown): StreamedChange | null {
  if (typeof data !== 'string') return null;
  try {
    const v: unknown = JSON.parse(data);
    if (v && typeof v === 'object' && typeof (v as StreamedChange).entity_type === 'string' && typeof (v as StreamedChange).action === 'string') {
      return v as StreamedChange;
    }
  } catch {
    /* not JSON */
  }
  return null;
}

/**
 * Collects changes for `delayMs` and hands them over in one batch, so a burst of events
 * (a move writes several) costs one refetch.
 */
export function createBatcher<T>(flush: (batch: T[]) => void, delayMs: number) {
  let pending: T[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    push(item: T) {
      pending.push(item);
      if (timer === null) {
        timer = setTimeout(() => {
          timer = null;
          const batch = pending;
          pending = [];
          flush(batch);
        }, delayMs);
      }
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      pending = [];
    },
  };
}

/**
 * Listens to the workspace's server-sent change events while mounted (`url` null = off).
 * Changes are batched for `delayMs`; the browser reconnects by itself and resends
 * Last-Event-ID, so nothing is missed across a short outage.
 */
export function useEventStream(url: string | null, onChanges: (changes: StreamedChange[]) => void, delayMs = 100): void {
  const handler = useRef(onChanges);
  useEffect(() => {
    handler.current = onChanges;
  }, [onChanges]);

  useEffect(() => {
    if (!url || typeof EventSource === 'undefined') return;
    const source = new EventSource(url, { withCredentials: true });
    const batcher = createBatcher<StreamedChange>((batch) => handler.current(batch), delayMs);
    const onChange = (e: MessageEvent) => {
      const change = parseChange(e.data);
      if (change) batcher.push(change);
    };
    source.addEventListener('change', onChange);
    return () => {
      source.removeEventListener('change', onChange);
      source.close();
      batcher.cancel();
    };
  }, [url, delayMs]);
}
