import type { IpcError } from '../api';
import { afterEach, describe, expect, it } from 'vitest';
import en from './en.json';
import nl from './nl.json';
import { errorText, pickLocale, setLocale, t } from './index';

afterEach(() => setLocale('en'));

describe('catalogs', () => {
  it('Dutch and English have the same keys', () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
  });

  it('keep the same placeholders in every message', () => {
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const [key, text] of Object.entries(en)) {
      expect(placeholders(nl[key as keyof typeof nl]), key).toEqual(placeholders(text));
    }
  });
});

describe('t', () => {
  it('fills placeholders and follows the locale', () => {
    expect(t('accounts.secondsLeft', { seconds: 7 })).toBe('7 seconds left');
    setLocale('nl');
    expect(t('accounts.secondsLeft', { seconds: 7 })).toBe('Nog 7 seconden');
  });

  it('picks Dutch for nl-BE and English for anything it does not know', () => {
    expect(pickLocale(['nl-BE', 'en'])).toBe('nl');
    expect(pickLocale(['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLocale(['de'])).toBe('en');
  });
});

describe('errorText', () => {
  it('prefers the message for the field, then the code, then a generic one', () => {
    expect(errorText({ code: 'invalid_parameter', message: 'x', field: 'digits' })).toBe(
      'Codes must have 6, 7 or 8 digits.',
    );
    expect(errorText({ code: 'invalid_parameter', message: 'x', field: 'image' })).toBe(
      'Part of the account details is not valid.',
    );
    expect(errorText({ code: 'something_new' as IpcError['code'], message: 'x' })).toBe(
      'Something went wrong inside Pocket.',
    );
  });
});

describe('clockOffsetText', () => {
  it('says how far and which way, in whole units', async () => {
    const { clockOffsetText } = await import('./index');
    expect(clockOffsetText(130_000)).toBe('2 min 10 s behind');
    expect(clockOffsetText(-45_400)).toBe('45 s ahead');
    expect(clockOffsetText(3_780_000)).toBe('1 h 3 min behind');
    expect(clockOffsetText(120_000)).toBe('2 min behind');
  });
});
