import { describe, expect, it } from 'vitest';
import { isAbsolute } from 'node:path';
import { ConfigError, isPostgresUrl, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      databaseUrl: './var/civitas.db',
      port: 8080,
      host: '127.0.0.1',
      demoOnEmptyDatabase: true,
      logLevel: 'info',
    });
    expect(isAbsolute(c.webDir)).toBe(true);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads the environment and lets explicit overrides win', () => {
    const c = loadConfig(
      { PORT: '9000', CIVITAS_DEMO: 'no', CIVITAS_DATABASE_URL: 'postgres://x/y' },
      { databaseUrl: '/tmp/other.db' },
    );
    expect(c.port).toBe(9000);
    expect(c.demoOnEmptyDatabase).toBe(false);
    expect(c.databaseUrl).toBe('/tmp/other.db');
  });

  it('reads the population raster path as an absolute path, and none by default', () => {
    expect(loadConfig({}).populationRaster).toBeUndefined();
    const path = loadConfig({ CIVITAS_POPULATION_RASTER: 'data/worldpop.tif' }).populationRaster;
    expect(path && isAbsolute(path)).toBe(true);
    expect(path).toMatch(/data\/worldpop\.tif$/);
  });

  it('names every invalid variable', () => {
    expect(() => loadConfig({ PORT: '99999', CIVITAS_LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: '99999', CIVITAS_LOG_LEVEL: 'loud' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/CIVITAS_LOG_LEVEL/);
    }
  });

  it('tells PostgreSQL URLs from SQLite paths', () => {
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://h/db')).toBe(true);
    expect(isPostgresUrl('./var/civitas.db')).toBe(false);
  });
});
