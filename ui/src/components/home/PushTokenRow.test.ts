import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import PushTokenRow from './PushTokenRow.svelte';
import { corpToken } from '../../lib/testing';

afterEach(cleanup);

const token = corpToken;

describe('PushTokenRow', () => {
  it('marks a token whose server certificate is not checked', () => {
    render(PushTokenRow, { token: { ...token, risk: 'certificate_unchecked' }, ondelete: () => {} });
    const badge = screen.getByTestId('token-risk');
    expect(badge.textContent?.trim()).toBe('Certificate not checked');
    expect(badge.dataset.risk).toBe('certificate_unchecked');
  });

  it('marks a token on plain HTTP, and nothing on a checked connection', () => {
    render(PushTokenRow, { token: { ...token, risk: 'insecure_server' }, ondelete: () => {} });
    expect(screen.getByTestId('token-risk').textContent?.trim()).toBe('Plain HTTP');
    cleanup();
    render(PushTokenRow, { token, ondelete: () => {} });
    expect(screen.queryByTestId('token-risk')).toBeNull();
  });
});
