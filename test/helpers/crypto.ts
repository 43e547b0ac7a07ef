import { randomBytes } from 'node:crypto';
import { createFieldCipher, type FieldCipher } from '../../src/store/open-store.js';

let cipher: FieldCipher | undefined;

/** One random data key per test process: tests never share keys with a deployment. */
export function testCipher(): FieldCipher {
  cipher ??= createFieldCipher({ active: 'test', keys: { test: randomBytes(32) } });
  return cipher;
}
