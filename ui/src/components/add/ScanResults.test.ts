import { cleanup, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import ScanResults from './ScanResults.svelte';
import { AccountsState } from '../../lib/accounts.svelte';
import { ScanFlow } from '../../lib/scan.svelte';

afterEach(() => cleanup());

function flowWith(items: ScanFlow['items'], source: ScanFlow['source'] = 'image') {
  const flow = new ScanFlow(new AccountsState());
  flow.items = items;
  flow.source = source;
  return flow;
}

describe('ScanResults', () => {
  it('says what each code is', () => {
    render(ScanResults, {
      flow: flowWith([
        { kind: 'account', pendingId: 'p1', issuer: 'ACME', name: 'alice' },
        { kind: 'invalid', error: { code: 'invalid_parameter', field: 'digits', message: '' } },
        {
          kind: 'invalid',
          name: 'Legacy (old)',
          error: { code: 'invalid_parameter', field: 'algorithm', message: '' },
        },
        { kind: 'duplicate', issuer: 'ACME', name: 'bob' },
        { kind: 'push', pendingId: 'p9', name: 'privacyIDEA (PIPU0001)' },
        { kind: 'other', preview: 'https://example.com' },
      ]),
    });
    const texts = screen.getAllByTestId('scan-item').map((item) => item.textContent ?? '');
    expect(texts[0]).toContain('ACME');
    expect(texts[1]).toContain('Codes must have 6, 7 or 8 digits');
    expect(texts[2]).toContain('Legacy (old)');
    expect(texts[2]).toContain('The algorithm must be SHA1, SHA256 or SHA512');
    expect(texts[3]).toContain('Already in Pocket');
    expect(texts[4]).toContain('privacyIDEA (PIPU0001)');
    expect(texts[4]).toContain('Push login');
    expect(texts[5]).toContain('“https://example.com”');
    expect(screen.queryByTestId('scan-add-all')).toBeNull();
  });

  it('asks for the other parts of an export', () => {
    const flow = flowWith([{ kind: 'account', pendingId: 'p1', issuer: 'A', name: 'b' }]);
    flow.batch = { part: 2, of: 3 };
    render(ScanResults, { flow });
    expect(screen.getByTestId('scan-batch').textContent).toContain('part 2 of 3');
  });

  it('says where nothing was found', () => {
    render(ScanResults, { flow: flowWith([], 'screen') });
    expect(screen.getByTestId('scan-none').textContent).toContain('No QR code found on the screen');
  });
});
