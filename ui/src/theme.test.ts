// The colours of both themes, checked against WCAG 2.2's contrast ratios: text 4.5:1, the
// countdown ring's strokes (graphics) 3:1 against the track and the card.
import { describe, expect, it } from 'vitest';
import css from './app.css?raw';
import { contrastRatio as ratio } from './lib/contrast';

function block(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no ${selector} in app.css`);
  const body = css.slice(start, css.indexOf('}', start));
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1], m[2]]));
}

const light = block(':root');
const themes = { light, dark: { ...light, ...block(":root[data-theme='dark']") } };

describe.each(Object.entries(themes))('the %s theme', (_, colours) => {
  const colour = (name: string) => {
    const value = colours[name];
    if (!value) throw new Error(`--${name} is not set`);
    return value;
  };

  it.each(['text', 'muted', 'danger', 'accent'])('--%s reads on the card and the page', (name) => {
    for (const behind of ['surface', 'bg'])
      expect(ratio(colour(name), colour(behind))).toBeGreaterThanOrEqual(4.5);
  });

  it('keeps the ring visible in its last five seconds, red against its track', () => {
    for (const stroke of ['accent', 'danger'])
      expect(ratio(colour(stroke), colour('ring-track'))).toBeGreaterThanOrEqual(3);
  });

  it('labels buttons legibly on the accent and on red, and the check on green', () => {
    expect(ratio(colour('accent-text'), colour('accent'))).toBeGreaterThanOrEqual(4.5);
    expect(ratio(colour('danger-text'), colour('danger'))).toBeGreaterThanOrEqual(4.5);
    expect(ratio(colour('success-text'), colour('success'))).toBeGreaterThanOrEqual(3);
  });
});
