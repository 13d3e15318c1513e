import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBatcher, parseChange } from './useEventStream';

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
