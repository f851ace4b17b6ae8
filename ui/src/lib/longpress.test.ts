import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LONG_PRESS_MS, longPress } from './longpress';
import { firePointer } from './testing';

let button: HTMLButtonElement;
let taps: number;
let longs: number;
let action: { destroy: () => void };

beforeEach(() => {
  vi.useFakeTimers();
  button = document.createElement('button');
  document.body.append(button);
  taps = longs = 0;
  button.addEventListener('click', () => (taps += 1));
  action = longPress(button, () => (longs += 1));
});

afterEach(() => {
  action.destroy();
  button.remove();
  vi.useRealTimers();
});

const pointer = (type: string, x = 10, y = 10) => firePointer(button, type, { x, y });

describe('longPress', () => {
  it('is a tap when let go early', () => {
    pointer('pointerdown');
    vi.advanceTimersByTime(LONG_PRESS_MS - 100);
    pointer('pointerup');
    button.click();
    expect([taps, longs]).toEqual([1, 0]);
  });

  it('opens the menu when held, and the click that ends it is no tap', () => {
    pointer('pointerdown');
    vi.advanceTimersByTime(LONG_PRESS_MS);
    expect(longs).toBe(1);
    pointer('pointerup');
    button.click();
    expect(taps).toBe(0);
    // The next tap is a tap again.
    pointer('pointerdown');
    pointer('pointerup');
    button.click();
    expect(taps).toBe(1);
  });

  it('is no press when the finger moves (a scroll)', () => {
    pointer('pointerdown');
    pointer('pointermove', 10, 40);
    vi.advanceTimersByTime(LONG_PRESS_MS * 2);
    expect(longs).toBe(0);
  });

  it("opens once when the system's own long-press gesture follows", () => {
    pointer('pointerdown');
    vi.advanceTimersByTime(LONG_PRESS_MS);
    button.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, cancelable: true }));
    expect(longs).toBe(1);
  });

  it('opens on a right click or the menu key, and the next Enter is still a tap', () => {
    const menu = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
    button.dispatchEvent(menu);
    expect(menu.defaultPrevented).toBe(true);
    expect(longs).toBe(1);
    button.click();
    expect(taps).toBe(1);
  });
});
