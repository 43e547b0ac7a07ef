import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CivitasError } from '../../domain/shared/civitas-error.js';
import { createFieldCipher, fieldAad } from './field-cipher.js';
import {
  keyringActiveOnly,
  keyringWithNewKey,
  loadKeyring,
  writeKeyringFile,
} from './keyring-file.js';

const dir = mkdtempSync(join(tmpdir(), 'civitas-keyring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A fresh path in the test folder. */
function path(name = 'civitas.key'): string {
  n += 1;
  return join(dir, `${n}`, name);
}

/** Writes `body` as a key file and returns the error loading it gives. */
function loadError(body: string): { file: string; error: CivitasError } {
  const file = join(dir, `bad-${++n}.key`);
  writeFileSync(file, body);
  try {
    loadKeyring({ kind: 'file', path: file }, false);
  } catch (error) {
    expect(error).toBeInstanceOf(CivitasError);
    return { file, error: error as CivitasError };
  }
  throw new Error(`loading ${body} should have failed`);
}

const b64 = () => randomBytes(32).toString('base64');

describe('loadKeyring from a file', () => {
  it('should create a missing key file with mode 0600, then load the same key from it', () => {
    const file = path();
    const first = loadKeyring({ kind: 'file', path: file }, true);
    expect(first.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const id = first.keyring.active;
    expect(first.keyring.keys[id]?.length).toBe(32);
    const second = loadKeyring({ kind: 'file', path: file }, true);
    expect(second.created).toBe(false);
    expect(second.keyring.active).toBe(id);
    expect(second.keyring.keys[id]?.equals(first.keyring.keys[id]!)).toBe(true);
    // What one process encrypted, the next one (same file) decrypts.
    const aad = fieldAad('factor', 'details', 'f1');
    const stored = createFieldCipher(first.keyring).encrypt('account', aad);
    expect(createFieldCipher(second.keyring).decrypt(stored, aad)).toBe('account');
    // No temporary file is left beside it.
    expect(readdirSync(join(file, '..'))).toEqual(['civitas.key']);
  });

  it('should name the file when it is missing and may not be created', () => {
    const file = path();
    expect(() => loadKeyring({ kind: 'file', path: file }, false)).toThrow(
      new CivitasError(
        'bad_request',
        `key file ${file} not found: set CIVITAS_KEY_FILE or restore the key`,
      ),
    );
  });

  it.each([
    ['not JSON', 'this is not json', /is not valid: .*JSON/],
    ['an empty file', '', /is not valid: /],
    ['a JSON array', '[]', /is not valid: .*expected object/],
    [
      'another version',
      JSON.stringify({ version: 2, active: 'k', keys: { k: b64() } }),
      /is not valid: version: /,
    ],
    [
      'a short key',
      JSON.stringify({ version: 1, active: 'k', keys: { k: randomBytes(16).toString('base64') } }),
      /is not valid: keys\.k: must be 32 bytes in base64/,
    ],
    [
      'a hex key',
      JSON.stringify({ version: 1, active: 'k', keys: { k: randomBytes(32).toString('hex') } }),
      /is not valid: keys\.k: must be 32 bytes in base64/,
    ],
    ['no active key', JSON.stringify({ version: 1, keys: { k: b64() } }), /is not valid: active: /],
    [
      'an unknown field',
      JSON.stringify({ version: 1, active: 'k', keys: { k: b64() }, note: 'x' }),
      /is not valid: .*note/,
    ],
    [
      'an active key that is not among the keys',
      JSON.stringify({ version: 1, active: 'other', keys: { k: b64() } }),
      /: the active key other is not among the keys/,
    ],
  ])('should refuse %s with a clear error naming the file', (_name, body, reason) => {
    const { file, error } = loadError(body);
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(reason);
    expect(error.message).not.toMatch(/\n\s+at /);
  });

  it('should never create a file over an invalid one', () => {
    const { file } = loadError('{"version":1}');
    expect(() => loadKeyring({ kind: 'file', path: file }, true)).toThrow(/is not valid/);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1}');
  });
});

describe('loadKeyring from the environment', () => {
  it('should take one 32-byte base64 key', () => {
    const key = randomBytes(32);
    const { keyring, created } = loadKeyring({ kind: 'env', base64: key.toString('base64') }, true);
    expect(created).toBe(false);
    expect(keyring.active).toBe('env');
    expect(keyring.keys.env?.equals(key)).toBe(true);
  });

  it.each(['', 'c2hvcnQ=', randomBytes(33).toString('base64')])(
    'should refuse %j, naming CIVITAS_DATA_KEY',
    (base64) => {
      expect(() => loadKeyring({ kind: 'env', base64 }, true)).toThrow(
        /CIVITAS_DATA_KEY must be 32 bytes in base64/,
      );
    },
  );
});

describe('writeKeyringFile and rotation helpers', () => {
  it('should write mode 0600 even over a world-readable file', () => {
    const file = path();
    writeKeyringFile(file, { active: 'a', keys: { a: randomBytes(32) } });
    chmodSync(file, 0o644);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const ring = keyringWithNewKey(loadKeyring({ kind: 'file', path: file }, false).keyring);
    writeKeyringFile(file, ring);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const back = loadKeyring({ kind: 'file', path: file }, false).keyring;
    expect(back.active).toBe(ring.active);
    expect(Object.keys(back.keys).sort()).toEqual(Object.keys(ring.keys).sort());
  });

  it('should add a new active key and keep the old ones, then keep only the active one', () => {
    const old = { active: 'a', keys: { a: randomBytes(32) } };
    const next = keyringWithNewKey(old);
    expect(next.active).not.toBe('a');
    expect(Object.keys(next.keys)).toEqual(['a', next.active]);
    expect(next.keys.a?.equals(old.keys.a)).toBe(true);
    expect(next.keys[next.active]?.equals(old.keys.a)).toBe(false);
    const only = keyringActiveOnly(next);
    expect(only).toEqual({ active: next.active, keys: { [next.active]: next.keys[next.active] } });
    expect(() => keyringActiveOnly({ active: 'x', keys: {} })).toThrow(/active key missing/);
  });
});
