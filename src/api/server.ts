import type { FastifyInstance } from 'fastify';
import { localDataDir, type Config } from '../config/config.js';
import { ensureDemoUsers, ensureFirstAdmin } from '../service/auth/user.service.js';
import { defaultDeps, systemActor, type ServiceDeps } from '../service/deps.js';
import { demoPopulationRaster } from '../service/demo/demo-population.js';
import { loadDemoIfEmpty } from '../service/demo/load-demo.js';
import type { Store } from '../store/ports.js';
import { buildApp } from './build-app.js';

/** A running server and how to stop it. */
export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  close(): Promise<void>;
}

/** The deps the server's use cases run with, from the configuration. */
export function serverDeps(config: Config, store: Store): ServiceDeps {
  const deps = defaultDeps(store, {
    sessionIdleMinutes: config.sessionIdleMinutes,
    sessionMaxHours: config.sessionMaxHours,
    lockoutThreshold: config.lockoutThreshold,
    lockoutMinutes: config.lockoutMinutes,
  });
  return config.populationRaster ? { ...deps, populationRaster: config.populationRaster } : deps;
}

/**
 * First-start work: the first administrator (one-time password printed), and — when the
 * configuration allows and the database holds no area — the demo area with its demo users.
 */
export async function prepareDatabase(
  config: Config,
  deps: ServiceDeps,
  say: (line: string) => void,
): Promise<void> {
  const actor = systemActor('system:first-start');
  const admin = await ensureFirstAdmin(deps, actor);
  if (admin) {
    say(`First administrator created: user name ${admin.username}, password ${admin.password}`);
    say('  (shown once; it is stored only as an argon2id hash)');
  }
  if (config.demoOnEmptyDatabase) {
    const loaded = await loadDemoIfEmpty(deps, actor);
    if (loaded) {
      say(
        `Loaded the demo area of operations (EXERCISE): ${loaded.regionCount} regions, ${loaded.placeCount} places, ${loaded.unitCount} units, ${loaded.factorCount} factors, ${Object.values(loaded.objects).reduce((a, b) => a + b, 0)} protected objects.`,
      );
      const demoUsers = await ensureDemoUsers(deps, actor);
      if (demoUsers) {
        say(
          `Demo users (EXERCISE): ${demoUsers.usernames.join(', ')}; password ${demoUsers.password} (shown once)`,
        );
      }
    }
  }
}

/**
 * Serves Civitas on the configured host and port, after the first-start work.
 *
 * @example
 * const server = await startServer(config, store, (line) => process.stdout.write(line + '\n'));
 */
export async function startServer(
  config: Config,
  store: Store,
  say: (line: string) => void = () => undefined,
): Promise<RunningServer> {
  let deps = serverDeps(config, store);
  await prepareDatabase(config, deps, say);
  if (!deps.populationRaster) {
    const modelled = await demoPopulationRaster(deps, localDataDir(config));
    if (modelled) {
      deps = { ...deps, populationRaster: modelled };
      say(
        `Exposure estimates use a modelled population of the EXERCISE area (${modelled}), not census data; set CIVITAS_POPULATION_RASTER to a real raster.`,
      );
    }
  }
  const app = await buildApp({ config, deps });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const shownHost =
    config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  const url = `http://${shownHost}:${port}`;
  return {
    app,
    url,
    async close() {
      await app.close();
    },
  };
}
