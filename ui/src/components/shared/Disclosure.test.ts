import { fireEvent, render, screen } from '@testing-library/svelte';
import { createRawSnippet } from 'svelte';
import { describe, expect, it } from 'vitest';
import Disclosure from './Disclosure.svelte';

const children = createRawSnippet(() => ({ render: () => '<p>Inside</p>' }));

describe('Disclosure', () => {
  it('is a button that says whether what it controls is shown, and shows it', async () => {
    render(Disclosure, { label: 'Advanced', children });
    const button = screen.getByRole('button', { name: 'Advanced' });
    const panel = document.getElementById(button.getAttribute('aria-controls') ?? '');
    expect(button.getAttribute('aria-expanded')).toBe('false');
    expect(panel?.hidden).toBe(true);
    await fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(panel?.hidden).toBe(false);
    expect(panel?.textContent).toContain('Inside');
  });
});
