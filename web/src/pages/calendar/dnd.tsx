import { createContext, useContext, useMemo, useRef, type DragEvent, type ReactNode } from 'react';
import type { DropTarget } from './drop';
import type { CalendarItem } from './types';

const OVER = 'kox-cal-over';
const DRAGGING = 'kox-cal-dragging';

interface Dnd {
  /** Props that make an item draggable (nothing for an item the member may not move). */
  dragProps: (item: CalendarItem) => {
    draggable: boolean;
    onDragStart?: (e: DragEvent<HTMLElement>) => void;
    onDragEnd?: (e: DragEvent<HTMLElement>) => void;
  };
  /** Props of something an item can be dropped on. */
  dropProps: (target: DropTarget) => {
    onDragOver: (e: DragEvent<HTMLElement>) => void;
    onDragLeave: (e: DragEvent<HTMLElement>) => void;
    onDrop: (e: DragEvent<HTMLElement>) => void;
  };
}

const DndContext = createContext<Dnd | null>(null);

const clearOver = () => document.querySelectorAll(`.${OVER}`).forEach((el) => el.classList.remove(OVER));

/**
 * Native HTML5 drag and drop for the calendar, the backlog and the open slots. The highlight of
 * the target under the pointer is a class set on the element itself, so dragging across a month
 * of cells re-renders nothing.
 */
export function CalendarDnd({ onDrop, children }: { onDrop: (item: CalendarItem, target: DropTarget) => void; children: ReactNode }) {
  const dragged = useRef<CalendarItem | null>(null);
  const value = useMemo<Dnd>(
    () => ({
      dragProps: (item) =>
        item.may_schedule && !item.published_at
          ? {
              draggable: true,
              onDragStart: (e) => {
                dragged.current = item;
                e.dataTransfer.effectAllowed = 'move';
                e.dataTransfer.setData('text/plain', String(item.id));
                const el = e.currentTarget;
                // Let the browser take the drag image before the item is dimmed.
                setTimeout(() => el.classList.add(DRAGGING), 0);
              },
              onDragEnd: (e) => {
                dragged.current = null;
                e.currentTarget.classList.remove(DRAGGING);
                clearOver();
              },
            }
          : { draggable: false },
      dropProps: (target) => ({
        onDragOver: (e) => {
          if (!dragged.current) return;
          e.preventDefault();
          e.stopPropagation();
          e.dataTransfer.dropEffect = 'move';
          // Only the innermost target lights up (an open slot inside a day).
          e.currentTarget.parentElement?.closest(`.${OVER}`)?.classList.remove(OVER);
          e.currentTarget.classList.add(OVER);
        },
        onDragLeave: (e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) e.currentTarget.classList.remove(OVER);
        },
        onDrop: (e) => {
          e.preventDefault();
          e.stopPropagation();
          clearOver();
          const item = dragged.current;
          dragged.current = null;
          if (item) onDrop(item, target);
        },
      }),
    }),
    [onDrop],
  );
  return <DndContext.Provider value={value}>{children}</DndContext.Provider>;
}

export function useDnd(): Dnd {
  const dnd = useContext(DndContext);
  if (!dnd) throw new Error('useDnd outside CalendarDnd');
  return dnd;
}
