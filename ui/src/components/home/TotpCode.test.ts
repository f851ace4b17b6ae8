import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import TotpCode from './TotpCode.svelte';
import type { AccountCode } from '../../lib/api';
import { githubAccount, githubCode } from '../../lib/testing';

afterEach(cleanup);

const [account, code] = [githubAccount, githubCode];

describe('TotpCode with codes hidden until tapped', () => {
  it('shows dots, not the code, and names the button for what it does', () => {
    render(TotpCode, { account, code, nowMs: 35_000, label: 'GitHub (alice)', hidden: true });
    const hidden = screen.getByTestId('code-hidden');
    expect(hidden.textContent?.trim()).toBe('••• •••');
    expect(hidden.getAttribute('aria-label')).toBe('Show the code of GitHub (alice)');
    expect(document.body.textContent).not.toContain('081');
    expect(screen.queryByTestId('code')).toBeNull();
  });

  it('shows the code once tapped, for the rest of its period only', async () => {
    const { rerender } = render(TotpCode, { account, code, nowMs: 35_000, label: 'GitHub', hidden: true });
    await fireEvent.click(screen.getByTestId('code-hidden'));
    expect(screen.getByTestId('code').dataset.code).toBe('081804');
    expect(screen.getByRole('button', { name: '0 8 1, 8 0 4' })).toBe(screen.getByTestId('code'));
    const next: AccountCode = { ...code, code: '050471', validFromMs: 60_000, validUntilMs: 90_000 };
    await rerender({ account, code: next, nowMs: 61_000, label: 'GitHub', hidden: true });
    expect(screen.queryByTestId('code')).toBeNull();
    expect(screen.getByTestId('code-hidden')).toBeTruthy();
  });
});
