import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { packageInfo } from './package-info.js';

/**
 * Civitas configuration, read from the environment once at start-up (here and nowhere else),
 * validated, frozen and passed down as an argument.
 *
 * @example
 * const config = loadConfig(process.env);
 * console.log(config.port); // 8080
 */
export interface Config {
  /** SQLite file path, `:memory:`, or a `postgres://` URL. */
  readonly databaseUrl: string;
  readonly host: string;
  readonly port: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Load the demo area of operations on start when the database holds no area yet. */
  readonly demoOnEmptyDatabase: boolean;
  /** Folder holding the built web UI (`npm run build` writes dist/web); relative paths are from the install folder. */
  readonly webDir: string;
  /** Largest request body accepted, in bytes. */
  readonly bodyLimitBytes: number;
  /** Where the data keys come from: a key file (created on first start) or CIVITAS_DATA_KEY. */
  readonly keyFile: string;
  readonly dataKeyBase64: string | undefined;
  /** Sessions end after this many idle minutes, and after `sessionMaxHours` whatever happens. */
  readonly sessionIdleMinutes: number;
  readonly sessionMaxHours: number;
  /** Mark cookies Secure (and use the `__Host-` prefix): set when Civitas is served over TLS. */
  readonly secureCookies: boolean;
  /** Failed sign-ins before an account locks, and for how long. */
  readonly lockoutThreshold: number;
  readonly lockoutMinutes: number;
  /** A population GeoTIFF in a geographic CRS (e.g. WorldPop) for screenings' exposure estimates. */
  readonly populationRaster: string | undefined;
}

const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

/** The environment variables Civitas reads, with their defaults. Documented in README.md. */
export const environmentSchema = z.object({
  CIVITAS_DATABASE_URL: z.string().min(1).default('./var/civitas.db'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  CIVITAS_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  CIVITAS_DEMO: booleanFlag.default(true),
  CIVITAS_WEB_DIR: z.string().min(1).default('dist/web'),
  CIVITAS_KEY_FILE: z.string().min(1).default('./var/civitas.key'),
  CIVITAS_DATA_KEY: z.string().min(1).optional(),
  CIVITAS_SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  CIVITAS_SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(72).default(12),
  CIVITAS_SECURE_COOKIES: booleanFlag.default(false),
  CIVITAS_LOCKOUT_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
  CIVITAS_LOCKOUT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  CIVITAS_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(512 * 1024 * 1024)
    .default(10 * 1024 * 1024),
  CIVITAS_POPULATION_RASTER: z.string().min(1).optional(),
});

/** Thrown when the environment holds an invalid value; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The folder for files Civitas derives and keeps on this machine (the demo's modelled population
 * raster): beside the SQLite database, or beside the key file when the database is PostgreSQL.
 *
 * @example
 * localDataDir(loadConfig({})); // '/…/var'
 */
export function localDataDir(config: Config): string {
  return dirname(
    /^postgres(ql)?:\/\//.test(config.databaseUrl) ? config.keyFile : config.databaseUrl,
  );
}

/**
 * Validates the environment (plus explicit overrides, e.g. from CLI flags) into a frozen Config.
 *
 * @example
 * loadConfig({ PORT: '9000' }, { databaseUrl: 'postgres://localhost/civitas' });
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  overrides: Partial<Config> = {},
): Config {
  const relevant = Object.fromEntries(
    Object.keys(environmentSchema.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const parsed = environmentSchema.safeParse(relevant);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  const config: Config = {
    databaseUrl: e.CIVITAS_DATABASE_URL,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.CIVITAS_LOG_LEVEL,
    demoOnEmptyDatabase: e.CIVITAS_DEMO,
    webDir: isAbsolute(e.CIVITAS_WEB_DIR)
      ? e.CIVITAS_WEB_DIR
      : resolve(packageInfo().root, e.CIVITAS_WEB_DIR),
    bodyLimitBytes: e.CIVITAS_BODY_LIMIT_BYTES,
    keyFile: e.CIVITAS_KEY_FILE,
    dataKeyBase64: e.CIVITAS_DATA_KEY,
    sessionIdleMinutes: e.CIVITAS_SESSION_IDLE_MINUTES,
    sessionMaxHours: e.CIVITAS_SESSION_MAX_HOURS,
    secureCookies: e.CIVITAS_SECURE_COOKIES,
    lockoutThreshold: e.CIVITAS_LOCKOUT_THRESHOLD,
    lockoutMinutes: e.CIVITAS_LOCKOUT_MINUTES,
    populationRaster:
      e.CIVITAS_POPULATION_RASTER === undefined ? undefined : resolve(e.CIVITAS_POPULATION_RASTER),
    ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
  };
  return Object.freeze(config);
}

/** True when the database URL names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}
