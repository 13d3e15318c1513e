import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBatcher, parseChange, subscribeToStream } from './useEventStream';

describe('parseChange', () => {
  it('reads a streamed event and ignores anything else', () => {
    expect(parseChange('{"id":7,"entity_type":"content_item","entity_id":3,"action":"content.moved"}')).toEqual({
      id: 7,
      entity_type: 'content_item',
      entity_id: 3,
      action: 'content.moved',
    });
    expect(parseChange('not json')).toBeNull();
    expect(parseChange('{"id":1}')).toBeNull();
    expect(parseChange(undefined)).toBeNull();
  });
});

describe('createBatcher', () => {
  afterEach(() => vi.useRealTimers());

  it('hands a burst over as one batch after the delay', () => {
    vi.useFakeTimers();
    const flush = vi.fn();
    const b = createBatcher<number>(flush, 100);
    b.push(1);
    b.push(2);
    vi.advanceTimersByTime(99);
    expect(flush).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(flush).toHaveBeenCalledWith([1, 2]);
    b.push(3);
    b.cancel();
    vi.advanceTimersByTime(200);
    expect(flush).toHaveBeenCalledTimes(1);
  });
});

describe('subscribeToStream', () => {
  class FakeSource {
    listeners: ((e: MessageEvent) => void)[] = [];
    closed = false;
    addEventListener(_: string, l: (e: MessageEvent) => void) {
      this.listeners.push(l);
    }
    close() {
      this.closed = true;
    }
    emit(data: string) {
      for (const l of this.listeners) l({ data } as MessageEvent);
    }
  }

  it('opens one stream per address for all its listeners and closes it after the last', () => {
    const opened: FakeSource[] = [];
    const open = () => {
      const s = new FakeSource();
      opened.push(s);
      return s as unknown as EventSource;
    };
    const a = vi.fn();
    const b = vi.fn();
    const offA = subscribeToStream('/s', a, open);
    const offB = subscribeToStream('/s', b, open);
    expect(opened).toHaveLength(1);
    opened[0].emit('{"id":1,"entity_type":"notification","entity_id":3,"action":"notification.created","after":{"unread":2}}');
    expect(a).toHaveBeenCalledWith(expect.objectContaining({ action: 'notification.created', after: { unread: 2 } }));
    expect(b).toHaveBeenCalledTimes(1);
    offA();
    expect(opened[0].closed).toBe(false);
    opened[0].emit('not json');
    opened[0].emit('{"id":2,"entity_type":"content_item","action":"content.moved"}');
    expect(a).toHaveBeenCalledTimes(1);
    expect(b).toHaveBeenCalledTimes(2);
    offB();
    expect(opened[0].closed).toBe(true);
    // The next listener opens a fresh stream.
    const offC = subscribeToStream('/s', vi.fn(), open);
    expect(opened).toHaveLength(2);
    offC();
  });
});
