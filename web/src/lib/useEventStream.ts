import { useEffect, useRef } from 'react';

/** The part of a streamed change event the UI reacts to (the full `Event` JSON is sent). */
export interface StreamedChange {
  id: number;
  entity_type: string;
  entity_id?: number | null;
  action: string;
  actor_id?: number | null;
  /** The state after the change, as the event records it (a notification event: `{"unread": n}`). */
  after?: unknown;
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

type Listener = (change: StreamedChange) => void;

/** One EventSource per address, shared by every listener in the tab. */
const sources = new Map<string, { source: EventSource; listeners: Set<Listener> }>();

/**
 * Adds a listener to the stream at `url`, opening it for the first one; the returned function
 * removes it and closes the stream after the last. The shell's bell listens on every page, so a
 * page that listens too shares its connection instead of opening a second one (the server keeps
 * a few streams per member, and a browser a few connections per host).
 */
export function subscribeToStream(
  url: string,
  listener: Listener,
  open: (url: string) => EventSource = (u) => new EventSource(u, { withCredentials: true }),
): () => void {
  let entry = sources.get(url);
  if (!entry) {
    const created = { source: open(url), listeners: new Set<Listener>() };
    created.source.addEventListener('change', (e: MessageEvent) => {
      const change = parseChange(e.data);
      if (change) for (const l of [...created.listeners]) l(change);
    });
    sources.set(url, created);
    entry = created;
  }
  const current = entry;
  current.listeners.add(listener);
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size === 0 && sources.get(url) === current) {
      current.source.close();
      sources.delete(url);
    }
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
    const batcher = createBatcher<StreamedChange>((batch) => handler.current(batch), delayMs);
    const unsubscribe = subscribeToStream(url, (change) => batcher.push(change));
    return () => {
      unsubscribe();
      batcher.cancel();
    };
  }, [url, delayMs]);
}
