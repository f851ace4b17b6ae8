import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { markFirstCodeShown, markStartupStep } from './startup.svelte';

afterEach(() => clearMocks());

describe('the start-up report', () => {
  it('tells the first code once, after its frame, with the steps on the way and none after', async () => {
    const reports: Record<string, unknown>[] = [];
    mockIPC((command, args) => {
      if (command === 'first_code_shown') reports.push(args as Record<string, unknown>);
    });
    markStartupStep('home-asked');
    markStartupStep('home-answered');
    const before = performance.timeOrigin + performance.now();
    markFirstCodeShown();
    markFirstCodeShown();
    await vi.waitFor(() => expect(reports).toHaveLength(1));
    markStartupStep('too-late');
    const report = reports[0] ?? {};
    const steps = report.steps as [string, number][];
    const names = steps.map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'page:home-asked',
        'page:home-answered',
        'page:code-in-document',
        'page:frame-began',
      ]),
    );
    const at = (name: string) => steps.find(([step]) => step === name)?.[1] ?? NaN;
    expect(at('page:home-answered')).toBeGreaterThanOrEqual(at('page:home-asked'));
    expect(at('page:frame-began')).toBeGreaterThanOrEqual(at('page:code-in-document'));
    expect(performance.getEntriesByName('pocket:too-late')).toHaveLength(0);
    expect(names).not.toContain('page:first-code');
    expect(report.pageStartedMs).toBe(performance.timeOrigin);
    // Painted after it was put in the document, and every step in Unix time before that.
    expect(report.atMs as number).toBeGreaterThanOrEqual(before);
    for (const [, at] of steps) expect(at).toBeLessThanOrEqual(report.atMs as number);
    await new Promise((settled) => requestAnimationFrame(() => requestAnimationFrame(settled)));
    expect(reports).toHaveLength(1);
  });
});
