// Drag to reorder, on a row of a list: the row follows a finger, mouse or pen on its handle
// (`[data-drag-handle]`), the other rows make room as it passes their middle, and the order
// is saved when it is let go. On the handle, the arrow keys move the row one place; Escape
// during a drag puts it back.
import { flushSync } from 'svelte';
import { moveByOne, placeAt, sameOrder, slotFor } from './reorder';

export interface DragReorder {
  /** This row's id; its siblings in the list carry theirs in `data-account-id`. */
  id: string;
  /** Shows the list's rows in this order (top to bottom), unsaved. */
  onarrange: (ids: string[]) => void;
  /** The rows stay in the order shown: save it. */
  onsettle: () => void;
  /** A key press or a drag moved the row: to `position` (from 1) of `count`. */
  onmoved?: (position: number, count: number) => void;
}

/** A press that moves less than this is not a drag. */
const DRAG_START_PX = 4;
/** Near the window's top or bottom edge the page scrolls, faster the closer the pointer is. */
const EDGE_PX = 56;
const MAX_SCROLL_PX_PER_FRAME = 14;

export function dragReorder(row: HTMLElement, initial: DragReorder) {
  let options = initial;
  let drag: {
    pointerId: number;
    handle: HTMLElement;
    startPageY: number;
    startTop: number;
    clientY: number;
    before: string[];
    moving: boolean;
    frame: number | null;
  } | null = null;

  const rows = (): HTMLElement[] =>
    Array.from(row.parentElement?.children ?? []).filter(
      (el): el is HTMLElement => el instanceof HTMLElement && el.dataset.accountId !== undefined,
    );
  const ids = (): string[] => rows().map((el) => el.dataset.accountId ?? '');
  const middle = (el: HTMLElement): number => el.offsetTop + el.offsetHeight / 2;

  /** Puts the row where the pointer holds it and rearranges the list around it. */
  function follow(): void {
    if (!drag) return;
    const top = drag.startTop + (drag.clientY + window.scrollY - drag.startPageY);
    const others = rows().filter((el) => el !== row);
    const order = placeAt(ids(), options.id, slotFor(top + row.offsetHeight / 2, others.map(middle)));
    if (!sameOrder(order, ids())) {
      options.onarrange(order);
      flushSync();
    }
    row.style.transform = `translateY(${top - row.offsetTop}px)`;
  }

  function edgeSpeed(clientY: number): number {
    if (clientY < EDGE_PX) return -MAX_SCROLL_PX_PER_FRAME * (1 - clientY / EDGE_PX);
    const fromBottom = window.innerHeight - clientY;
    if (fromBottom < EDGE_PX) return MAX_SCROLL_PX_PER_FRAME * (1 - fromBottom / EDGE_PX);
    return 0;
  }

  function scrollNearEdges(): void {
    if (!drag) return;
    drag.frame = null;
    const speed = edgeSpeed(drag.clientY);
    if (speed === 0) return;
    window.scrollBy(0, speed);
    follow();
    drag.frame = requestAnimationFrame(scrollNearEdges);
  }

  function end(keep: boolean): void {
    if (!drag) return;
    const { before, moving, frame, handle, pointerId } = drag;
    drag = null;
    if (frame !== null) cancelAnimationFrame(frame);
    if (handle.hasPointerCapture?.(pointerId)) handle.releasePointerCapture(pointerId);
    window.removeEventListener('pointermove', onpointermove);
    window.removeEventListener('pointerup', onpointerup);
    window.removeEventListener('pointercancel', onpointercancel);
    window.removeEventListener('keydown', onescape);
    row.classList.remove('dragging');
    row.style.transform = '';
    if (!moving) return;
    if (!keep) {
      options.onarrange(before);
      flushSync();
      return;
    }
    const after = ids();
    if (sameOrder(before, after)) return;
    options.onsettle();
    options.onmoved?.(after.indexOf(options.id) + 1, after.length);
  }

  function onpointerdown(event: PointerEvent): void {
    const handle = (event.target as Element | null)?.closest<HTMLElement>('[data-drag-handle]');
    if (!handle || !row.contains(handle) || drag) return;
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    // No text selection, and no scrolling of the page under a finger.
    event.preventDefault();
    handle.setPointerCapture?.(event.pointerId);
    drag = {
      pointerId: event.pointerId,
      handle,
      startPageY: event.clientY + window.scrollY,
      startTop: row.offsetTop,
      clientY: event.clientY,
      before: ids(),
      moving: false,
      frame: null,
    };
    // On the window: the row's element may move in the document as the list rearranges,
    // which ends a pointer capture.
    window.addEventListener('pointermove', onpointermove);
    window.addEventListener('pointerup', onpointerup);
    window.addEventListener('pointercancel', onpointercancel);
    window.addEventListener('keydown', onescape);
  }

  function onpointermove(event: PointerEvent): void {
    if (!drag || event.pointerId !== drag.pointerId) return;
    drag.clientY = event.clientY;
    if (!drag.moving) {
      if (Math.abs(event.clientY + window.scrollY - drag.startPageY) < DRAG_START_PX) return;
      drag.moving = true;
      row.classList.add('dragging');
    }
    follow();
    if (drag.frame === null && edgeSpeed(event.clientY) !== 0) {
      drag.frame = requestAnimationFrame(scrollNearEdges);
    }
  }

  function onpointerup(event: PointerEvent): void {
    if (drag?.pointerId === event.pointerId) end(true);
  }

  // The system took the pointer (a call, a gesture): the drag did not finish.
  function onpointercancel(event: PointerEvent): void {
    if (drag?.pointerId === event.pointerId) end(false);
  }

  // During a drag, wherever the focus is.
  function onescape(event: KeyboardEvent): void {
    if (drag && event.key === 'Escape') {
      event.preventDefault();
      end(false);
    }
  }

  function onkeydown(event: KeyboardEvent): void {
    const handle = (event.target as Element | null)?.closest<HTMLElement>('[data-drag-handle]');
    if (!handle || drag || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const now = ids();
    const next = moveByOne(now, options.id, event.key === 'ArrowUp' ? -1 : 1);
    if (sameOrder(now, next)) return;
    options.onarrange(next);
    flushSync();
    // The row's element moved in the document, which can take the focus away.
    handle.focus();
    options.onsettle();
    options.onmoved?.(next.indexOf(options.id) + 1, next.length);
  }

  row.addEventListener('pointerdown', onpointerdown);
  row.addEventListener('keydown', onkeydown);
  return {
    update(next: DragReorder) {
      options = next;
    },
    destroy() {
      end(false);
      row.removeEventListener('pointerdown', onpointerdown);
      row.removeEventListener('keydown', onkeydown);
    },
  };
}
