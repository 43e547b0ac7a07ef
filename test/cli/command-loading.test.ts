import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/index.js';

const names = async (only?: string) => (await buildProgram(only)).commands.map((c) => c.name());

describe('civitas command loading', () => {
  it('should load every command for help and for an unknown word', async () => {
    const all = await names();
    for (const name of ['init', 'serve', 'demo', 'user', 'audit', 'keys', 'backup', 'restore']) {
      expect(all).toContain(name);
    }
    expect(all).toContain('objects');
    expect(all).toContain('screen');
    expect(await names('frob')).toEqual(all);
  });

  it('should load only the named command (and its siblings in the same module)', async () => {
    expect(await names('screen')).toEqual(['version', 'screen']);
    expect(await names('restore')).toEqual(['version', 'backup', 'restore']);
    expect(await names('version')).toEqual(['version']);
  });
});
