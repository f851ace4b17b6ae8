import { afterEach, describe, expect, it } from 'vitest';
import { modal } from './modal';

afterEach(() => document.body.replaceChildren());

function page() {
  document.body.innerHTML = `
    <button id="outside">Outside</button>
    <div id="dialog" tabindex="-1"><button id="a">A</button><button id="b" disabled>B</button><button id="c">C</button></div>`;
  const get = (id: string) => document.getElementById(id) as HTMLElement;
  get('outside').focus();
  return get;
}

function tab(shiftKey = false): boolean {
  const event = new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, cancelable: true });
  document.activeElement?.dispatchEvent(event);
  return event.defaultPrevented;
}

describe('modal', () => {
  it('moves focus in, keeps Tab and Shift+Tab inside, and gives focus back on close', () => {
    const get = page();
    const held = modal(get('dialog'));
    expect(document.activeElement).toBe(get('a'));
    get('c').focus();
    expect(tab()).toBe(true);
    expect(document.activeElement).toBe(get('a'));
    expect(tab(true)).toBe(true);
    expect(document.activeElement).toBe(get('c'));
    // Between its own controls the browser moves focus as usual.
    get('a').focus();
    expect(tab()).toBe(false);
    held.destroy();
    expect(document.activeElement).toBe(get('outside'));
    get('c').focus();
    expect(tab()).toBe(false);
  });

  it('starts where told, and Shift+Tab from the dialog itself goes to its last control', () => {
    const get = page();
    const held = modal(get('dialog'), () => get('dialog'));
    expect(document.activeElement).toBe(get('dialog'));
    expect(tab(true)).toBe(true);
    expect(document.activeElement).toBe(get('c'));
    held.destroy();
  });
});
