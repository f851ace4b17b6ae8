import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import ExportForm from './ExportForm.svelte';
import type { IpcError } from '../../lib/api';
import { describedText, isInvalid } from '../../lib/testing';

afterEach(() => {
  cleanup();
  clearMocks();
});

/** The Aegis export form; the Rust side refuses the export with `refusal`. */
function exportForm(refusal: IpcError | null = null) {
  mockIPC((command) => {
    if (command === 'export_backup') {
      if (refusal) throw refusal;
      return '/home/alice/aegis.json';
    }
  });
  render(ExportForm);
  const fields = {
    password: screen.getByTestId('export-password'),
    repeat: screen.getByTestId('export-repeat'),
  };
  for (const field of Object.values(fields)) {
    expect(isInvalid(field)).toBe(false);
    expect(field.hasAttribute('aria-describedby')).toBe(false);
  }
  return fields;
}

async function submit(fields: ReturnType<typeof exportForm>, password: string, repeat = password) {
  await fireEvent.input(fields.password, { target: { value: password } });
  await fireEvent.input(fields.repeat, { target: { value: repeat } });
  await fireEvent.click(screen.getByTestId('export-submit'));
  return screen.findByTestId('export-error');
}

describe('ExportForm', () => {
  it('ties two passwords that differ to the repeated one', async () => {
    const fields = exportForm();
    await submit(fields, 'correct horse', 'correct hose');
    expect(isInvalid(fields.repeat)).toBe(true);
    expect(fields.repeat.getAttribute('aria-describedby')).toBe('export-error');
    expect(describedText(fields.repeat)).toBe('The two passwords differ.');
    expect(isInvalid(fields.password)).toBe(false);
  });

  it('ties a password too short to the password', async () => {
    const fields = exportForm({ code: 'invalid_parameter', message: 'x', field: 'password' });
    await submit(fields, 'short');
    expect(isInvalid(fields.password)).toBe(true);
    expect(describedText(fields.password)).toBe('Use a password of 8 characters or more.');
    expect(isInvalid(fields.repeat)).toBe(false);
  });

  it("ties an error that is not the password's to no field", async () => {
    const fields = exportForm({ code: 'export_failed', message: 'disk full' });
    await submit(fields, 'correct horse');
    for (const field of Object.values(fields)) {
      expect(isInvalid(field)).toBe(false);
      expect(field.hasAttribute('aria-describedby')).toBe(false);
    }
  });
});
