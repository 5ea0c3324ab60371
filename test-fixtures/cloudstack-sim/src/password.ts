import { randomInt } from 'node:crypto';

// PasswordGenerator's alphabets, without the look-alikes l, L, 1, o and 0 (its mixed set keeps O, drops I and i).
const LOWER = 'abcdefghijkmnpqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const ALPHANUMERIC = 'ABCDEFGHJKMNOPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';

/** The global setting vm.password.length. */
export const VM_PASSWORD_LENGTH = 6;

const pick = (chars: string) => chars[randomInt(chars.length)]!;

/**
 * PasswordGenerator.generateRandomPassword, as ManagementServerImpl uses it for password-enabled
 * templates: one lower-case letter, one upper-case letter and one digit, the rest alphanumeric, shuffled.
 */
export function generateVmPassword(length = VM_PASSWORD_LENGTH): string {
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS)];
  while (chars.length < length) chars.push(pick(ALPHANUMERIC));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
