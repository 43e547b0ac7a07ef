import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CivitasError } from '../../domain/shared/civitas-error.js';

/** Named 256-bit data keys; `active` encrypts, any listed key decrypts. */
export interface Keyring {
  readonly active: string;
  readonly keys: Readonly<Record<string, Buffer>>;
}

/**
 * Encrypts sensitive fields (names, contact details, free-text accounts) before they reach the
 * database. AES-256-GCM with a fresh 96-bit IV per value; the additional authenticated data names
 * the table, field and record, so a ciphertext copied to another row or field fails to decrypt.
 *
 * Stored form: `enc:v1:<key id>:<base64url(iv ‖ tag ‖ ciphertext)>`.
 */
export interface FieldCipher {
  readonly activeKeyId: string;
  encrypt(plaintext: string, aad: string): string;
  decrypt(stored: string, aad: string): string;
  /** The key id a stored value was encrypted under. */
  keyIdOf(stored: string): string;
}

const PREFIX = 'enc:v1:';

/** The additional authenticated data for one field of one record. */
export function fieldAad(table: string, field: string, recordId: string): string {
  return `${table}.${field}:${recordId}`;
}

/**
 * Builds the cipher over a keyring.
 *
 * @example
 * const cipher = createFieldCipher(keyring);
 * const stored = cipher.encrypt('Amina K.', fieldAad('user_account', 'full_name', id));
 */
export function createFieldCipher(keyring: Keyring): FieldCipher {
  const active = keyring.keys[keyring.active];
  if (!active || active.length !== 32) {
    throw new CivitasError(
      'bad_request',
      `the active data key ${keyring.active} is missing or not 256 bits`,
    );
  }
  const keyIdOf = (stored: string): string => {
    if (!stored.startsWith(PREFIX))
      throw new CivitasError('internal_error', 'a sensitive field is not encrypted');
    const rest = stored.slice(PREFIX.length);
    const colon = rest.indexOf(':');
    if (colon < 1)
      throw new CivitasError('internal_error', 'a sensitive field has a malformed ciphertext');
    return rest.slice(0, colon);
  };
  return {
    activeKeyId: keyring.active,
    keyIdOf,
    encrypt(plaintext, aad) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', active, iv);
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const packed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
      return `${PREFIX}${keyring.active}:${packed}`;
    },
    decrypt(stored, aad) {
      const keyId = keyIdOf(stored);
      const key = keyring.keys[keyId];
      if (!key) {
        throw new CivitasError(
          'internal_error',
          `data key ${keyId} is not in the keyring: was it rotated away?`,
        );
      }
      const raw = Buffer.from(stored.slice(PREFIX.length + keyId.length + 1), 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(aad, 'utf8'));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString(
          'utf8',
        );
      } catch {
        throw new CivitasError(
          'internal_error',
          'a sensitive field failed its integrity check (tampered or moved)',
        );
      }
    },
  };
}

/** A fresh random 256-bit key. */
export function newDataKey(): Buffer {
  return randomBytes(32);
}
