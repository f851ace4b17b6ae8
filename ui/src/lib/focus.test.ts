import { describe, expect, it } from 'vitest';
import { startHere } from './focus';

describe('startHere', () => {
  it('puts the focus on the element that appeared', () => {
    const before = document.createElement('button');
    const heading = document.createElement('h1');
    heading.tabIndex = -1;
    document.body.append(before, heading);
    before.focus();
    startHere(heading);
    expect(document.activeElement).toBe(heading);
    before.remove();
    heading.remove();
  });
});
