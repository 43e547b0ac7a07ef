import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { createFieldCipher, fieldAad, newDataKey, type Keyring } from './field-cipher.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const ringA: Keyring = { active: 'a', keys: { a: keyA } };
const aad = fieldAad('user_account', 'full_name', 'user-1');

/** The stored value with one byte of its decoded body (iv ‖ tag ‖ ciphertext) flipped. */
function flipByte(stored: string, index: number): string {
  const cut = stored.lastIndexOf(':') + 1;
  const raw = Buffer.from(stored.slice(cut), 'base64url');
  raw[index]! ^= 0x01;
  return stored.slice(0, cut) + raw.toString('base64url');
}

/** The error a call throws, or fails the test when it does not throw. */
function errorOf(call: () => unknown): CivitasError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(CivitasError);
    return error as CivitasError;
  }
  throw new Error('expected the call to throw');
}

describe('fieldAad', () => {
  it('should name the table, field and record', () => {
    expect(fieldAad('factor', 'details', 'f-9')).toBe('factor.details:f-9');
  });
});

describe('createFieldCipher', () => {
  it('should round-trip text, including empty and non-Latin text', () => {
    const cipher = createFieldCipher(ringA);
    for (const text of ['Amina K.', '', 'Ерёма Ж. — 电话 +236 70 00 00 00 🙂']) {
      expect(cipher.decrypt(cipher.encrypt(text, aad), aad)).toBe(text);
    }
  });

  it('should store enc:v1:<key id>:<base64url> with no plaintext and a fresh IV each time', () => {
    const cipher = createFieldCipher(ringA);
    const first = cipher.encrypt('Amina Konaté', aad);
    const second = cipher.encrypt('Amina Konaté', aad);
    expect(first).toMatch(/^enc:v1:a:[A-Za-z0-9_-]+$/);
    expect(first).not.toContain('Amina');
    expect(first).not.toBe(second);
    // 12-byte IV, 16-byte tag, then as many bytes as the UTF-8 plaintext.
    const body = Buffer.from(first.slice('enc:v1:a:'.length), 'base64url');
    expect(body.length).toBe(12 + 16 + Buffer.byteLength('Amina Konaté'));
    expect(cipher.keyIdOf(first)).toBe('a');
    expect(cipher.activeKeyId).toBe('a');
  });

  it('should refuse a value decrypted under another record, field or table (AAD binding)', () => {
    const cipher = createFieldCipher(ringA);
    const stored = cipher.encrypt('Amina K.', aad);
    for (const other of [
      fieldAad('user_account', 'full_name', 'user-2'),
      fieldAad('user_account', 'contact', 'user-1'),
      fieldAad('factor', 'full_name', 'user-1'),
    ]) {
      expect(errorOf(() => cipher.decrypt(stored, other)).message).toMatch(
        /failed its integrity check/,
      );
    }
  });

  it('should refuse a value with any one byte of IV, tag or ciphertext flipped', () => {
    const cipher = createFieldCipher(ringA);
    const stored = cipher.encrypt('Amina K.', aad);
    for (const index of [0, 11, 12, 27, 28, 28 + 7]) {
      const error = errorOf(() => cipher.decrypt(flipByte(stored, index), aad));
      expect(error.code).toBe('internal_error');
      expect(error.message).toMatch(/failed its integrity check/);
    }
  });

  it('should refuse a truncated value', () => {
    const cipher = createFieldCipher(ringA);
    const stored = cipher.encrypt('Amina K.', aad);
    expect(() => cipher.decrypt(stored.slice(0, 20), aad)).toThrow(/integrity check/);
    expect(() => cipher.decrypt(stored.slice(0, -2), aad)).toThrow(/integrity check/);
  });

  it('should refuse the value under a different key with the same id', () => {
    const stored = createFieldCipher(ringA).encrypt('Amina K.', aad);
    const impostor = createFieldCipher({ active: 'a', keys: { a: keyB } });
    expect(() => impostor.decrypt(stored, aad)).toThrow(/integrity check/);
  });

  it('should name a key id that is not in the keyring', () => {
    const stored = createFieldCipher(ringA).encrypt('Amina K.', aad);
    const other = createFieldCipher({ active: 'b', keys: { b: keyB } });
    expect(() => other.decrypt(stored, aad)).toThrow(/data key a is not in the keyring/);
  });

  it('should decrypt with any key in the ring and encrypt with the active one', () => {
    const old = createFieldCipher(ringA).encrypt('Amina K.', aad);
    const both = createFieldCipher({ active: 'b', keys: { a: keyA, b: keyB } });
    expect(both.decrypt(old, aad)).toBe('Amina K.');
    expect(both.keyIdOf(both.encrypt('x', aad))).toBe('b');
  });

  it('should refuse plaintext and malformed values', () => {
    const cipher = createFieldCipher(ringA);
    expect(() => cipher.decrypt('Amina K.', aad)).toThrow(/is not encrypted/);
    expect(() => cipher.decrypt('enc:v1:nokeyid', aad)).toThrow(/malformed/);
    expect(() => cipher.decrypt('enc:v1::abc', aad)).toThrow(/malformed/);
    expect(() => cipher.keyIdOf('enc:v2:a:abc')).toThrow(/is not encrypted/);
  });

  it('should refuse an active key that is missing or not 256 bits', () => {
    expect(errorOf(() => createFieldCipher({ active: 'x', keys: { a: keyA } })).message).toMatch(
      /active data key x is missing/,
    );
    expect(() => createFieldCipher({ active: 'a', keys: { a: randomBytes(16) } })).toThrow(
      /not 256 bits/,
    );
  });
});

describe('newDataKey', () => {
  it('should return 32 fresh random bytes', () => {
    const a = newDataKey();
    expect(a.length).toBe(32);
    expect(a.equals(newDataKey())).toBe(false);
  });
});
