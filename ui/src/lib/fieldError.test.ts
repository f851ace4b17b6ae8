import { describe, expect, it } from 'vitest';
import { describedBy, errorAttributes, fieldsInError } from './fieldError';
import type { IpcError } from './api';

const error = (code: IpcError['code'], field?: string): IpcError => ({
  code,
  message: '',
  ...(field ? { field } : {}),
});

describe('describedBy', () => {
  it('joins the hint and the error, in that order', () => {
    expect(describedBy('uri-hint', 'uri-error')).toBe('uri-hint uri-error');
  });

  it('leaves out an error that is not shown, and the attribute when nothing is left', () => {
    expect(describedBy('uri-hint', false)).toBe('uri-hint');
    expect(describedBy(null, 'uri-error')).toBe('uri-error');
    expect(describedBy(undefined, false, null, '')).toBeUndefined();
    expect(describedBy()).toBeUndefined();
  });
});

describe('errorAttributes', () => {
  it('marks the field invalid and adds the error after its hints while it is in error', () => {
    expect(errorAttributes(true, 'secret-error', 'secret-hint')).toEqual({
      'aria-invalid': true,
      'aria-describedby': 'secret-hint secret-error',
    });
  });

  it('keeps only the hints, or no description, while it is not', () => {
    expect(errorAttributes(false, 'secret-error', 'secret-hint')).toEqual({
      'aria-invalid': false,
      'aria-describedby': 'secret-hint',
    });
    expect(errorAttributes(false, 'secret-error')).toEqual({
      'aria-invalid': false,
      'aria-describedby': undefined,
    });
  });
});

describe('fieldsInError', () => {
  const fields = ['issuer', 'name', 'secret'] as const;

  it('marks nothing without an error', () => {
    expect(fieldsInError(null, fields, { main: 'name' })).toEqual([]);
    expect(fieldsInError(undefined, fields)).toEqual([]);
  });

  it('marks only the field the error names', () => {
    expect(fieldsInError(error('invalid_parameter', 'secret'), fields, { main: 'name' })).toEqual(['secret']);
  });

  it('marks no field for a field the form does not have', () => {
    expect(fieldsInError(error('wrong_passcode', 'passcode'), fields, { main: 'name' })).toEqual([]);
  });

  it('marks the main field for an error that names none, and nothing without one', () => {
    expect(fieldsInError(error('wrong_backup_password'), ['password'], { main: 'password' })).toEqual([
      'password',
    ]);
    expect(fieldsInError(error('export_failed'), ['password'])).toEqual([]);
  });

  it('marks the fields a code concerns before the field it names', () => {
    const rules = {
      byCode: { passcode_too_short: ['fresh'], wrong_passcode: ['current'], missing_label: ['a', 'b'] },
    } as const;
    expect(fieldsInError(error('passcode_too_short', 'passcode'), ['passcode'], rules)).toEqual(['fresh']);
    expect(fieldsInError(error('wrong_passcode', 'passcode'), ['passcode'], rules)).toEqual(['current']);
    expect(fieldsInError(error('missing_label'), [], rules)).toEqual(['a', 'b']);
  });
});
