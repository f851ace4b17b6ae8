import { cleanup, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import ServiceIcon from './ServiceIcon.svelte';
import { AccountsState } from '../../lib/accounts.svelte';

afterEach(() => {
  cleanup();
  clearMocks();
});

const PNG = 'data:image/png;base64,iVBORw0KGgo=';

describe('ServiceIcon', () => {
  it('shows the picture an import brought, once read', () => {
    render(ServiceIcon, { issuer: 'GitHub', name: 'alice', icon: { kind: 'image' }, image: PNG });
    const icon = screen.getByTestId('service-icon');
    expect(icon.tagName).toBe('IMG');
    expect(icon.getAttribute('src')).toBe(PNG);
    expect(icon.getAttribute('alt')).toBe('');
  });

  it("shows the issuer's icon until the picture is read", () => {
    render(ServiceIcon, { issuer: 'GitHub', name: 'alice', icon: { kind: 'image' } });
    expect(screen.getByTestId('service-icon').dataset.icon).toBe('github');
  });

  it("draws a 2FAS label's letters in whichever of black and white reads on its colour", () => {
    render(ServiceIcon, { issuer: 'Lab', name: '', icon: { kind: 'label', text: 'LS', colour: '#f9a825' } });
    const label = screen.getByTestId('service-icon');
    expect(label.textContent?.trim()).toBe('LS');
    expect(label.style.background).toBe('rgb(249, 168, 37)');
    expect(label.style.color).toBe('rgb(0, 0, 0)');
    cleanup();
    render(ServiceIcon, { issuer: 'Lab', name: '', icon: { kind: 'label', text: 'LS', colour: '#3949ab' } });
    expect(screen.getByTestId('service-icon').style.color).toBe('rgb(255, 255, 255)');
  });
});

describe('imported pictures', () => {
  it('are read once each, and again only after a failure', async () => {
    const asked: string[] = [];
    let fail = true;
    mockIPC((command, args) => {
      if (command !== 'account_icon') return null;
      const { id } = args as { id: string };
      asked.push(id);
      if (fail) throw { code: 'database', message: 'busy' };
      return PNG;
    });
    const accounts = new AccountsState();
    await accounts.codes.loadIcon('a');
    expect(accounts.codes.icons.a).toBeUndefined();
    fail = false;
    await accounts.codes.loadIcon('a');
    expect(accounts.codes.icons.a).toBe(PNG);
    await accounts.codes.loadIcon('a');
    expect(asked).toEqual(['a', 'a']);
  });
});
