import { describe, expect, it } from 'vitest';
import { spokenAccount, spokenCode } from './spoken';

describe('spokenCode', () => {
  it('reads a code as digits in the groups it is shown in', () => {
    expect(spokenCode('492039')).toBe('4 9 2, 0 3 9');
    expect(spokenCode('12345678')).toBe('1 2 3 4, 5 6 7 8');
    expect(spokenCode('1234567')).toBe('1 2 3, 4 5 6 7');
  });

  it('leaves letters (Steam codes) one by one, in one group', () => {
    expect(spokenCode('5KX2B')).toBe('5 K X 2 B');
  });
});

describe('spokenAccount', () => {
  it('reads service, account and code in that order, leaving out what is missing', () => {
    expect(spokenAccount('GitHub', 'alice', '4 9 2, 0 3 9')).toBe('GitHub, alice, 4 9 2, 0 3 9');
    expect(spokenAccount('', 'alice@example.com', 'No code')).toBe('alice@example.com, No code');
  });
});
