// How the account list reads aloud. A screen reader reads "492 039" as two numbers ("four
// hundred ninety-two, thirty-nine"); a code is typed digit by digit, so it is named that way,
// in the groups it is shown in: "4 9 2, 0 3 9".
import { groupCode } from './format';

/** A code as single digits, its groups apart: `492039` → `4 9 2, 0 3 9`. */
export function spokenCode(code: string): string {
  return groupCode(code)
    .split(' ')
    .map((group) => [...group].join(' '))
    .join(', ');
}

/** One account read as one item: service, account, then what its code is. */
export function spokenAccount(issuer: string, name: string, code: string): string {
  return [issuer, name, code].filter((part) => part.trim() !== '').join(', ');
}
