import argon2 from 'argon2';
import { CivitasError } from '../../domain/shared/civitas-error.js';

/** argon2id parameters: above OWASP's minimum (19 MiB, t=2, p=1). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The most common passwords and words that point at this system; checked offline. */
const REFUSED = [
  'password',
  'passw0rd',
  '123456',
  'qwerty',
  'letmein',
  'welcome',
  'admin',
  'civitas',
  'nato',
  'exercise',
  'changeme',
  'iloveyou',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
];

/** Look-alike characters read as the letters they stand for. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  '@': 'a',
  '4': 'a',
  '8': 'b',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
};

const plain = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

const lettersOnly = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[@4831!0$57]/g, (c) => LOOK_ALIKES[c] ?? c)
    .replace(/[^a-z]/g, '');

/**
 * True when the text contains one of the words and fewer than 8 other characters once every
 * occurrence of every such word is taken out ("passwordpassword" is no stronger than "password").
 */
function isBuiltOn(text: string, words: readonly string[]): boolean {
  const hits = words.filter((w) => text.includes(w));
  if (hits.length === 0) return false;
  const rest = hits.reduce((left, w) => left.split(w).join(''), text);
  return rest.length < 8;
}

/**
 * Checks a new password: at least 15 characters (no composition rules), at most 128, and not
 * built around a common password or a word that points at this system or the user.
 * Throws `weak_password` saying why.
 *
 * @example
 * checkPasswordPolicy('correct horse battery staple', ['jdoe']);
 */
export function checkPasswordPolicy(password: string, contextWords: readonly string[] = []): void {
  if (password.length < 15) {
    throw new CivitasError(
      'weak_password',
      'The password must have at least 15 characters; a short sentence works well.',
    );
  }
  if (password.length > 128)
    throw new CivitasError('weak_password', 'The password must have at most 128 characters.');
  const words = [...REFUSED, ...contextWords].map(plain).filter((w) => w.length >= 4);
  // Checked twice: as typed (digits kept), and with look-alike symbols read as letters
  // ("P@ssw0rd" → "password") against the words that are letters only.
  const alphabetic = words.filter((w) => /^[a-z]+$/.test(w));
  if (isBuiltOn(plain(password), words) || isBuiltOn(lettersOnly(password), alphabetic))
    throw new CivitasError(
      'weak_password',
      'The password is too close to a common password or to your user name.',
    );
  if (new Set(password).size < 5)
    throw new CivitasError('weak_password', 'The password repeats too few characters.');
}

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

/** Verifies a password against its hash; false on any malformed hash. */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real verification, so "no such user" cannot be told from "wrong
 * password" by timing.
 */
export async function verifyDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('civitas-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
  return false;
}
