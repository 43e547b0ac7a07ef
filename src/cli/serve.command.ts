import type { Command } from 'commander';
import { startServer } from '../api/server.js';
import { CivitasError } from '../domain/shared/civitas-error.js';
import { commandConfig, openCommandStore, say, type CommonOptions } from './context.js';

/** `civitas serve`: serves the web UI and the API until interrupted. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the web UI and the API (loads the demo area on first start)')
    .option('--db <path|url>', 'SQLite file or postgres:// URL (env CIVITAS_DATABASE_URL)')
    .option('--port <port>', 'port to listen on (env PORT, default 8080)')
    .option('--host <host>', 'interface to listen on (env HOST, default 127.0.0.1)')
    .option('--no-demo', 'do not load the demo area into an empty database (env CIVITAS_DEMO=0)')
    .action(async (options: CommonOptions & { port?: string; host?: string; demo: boolean }) => {
      const config = commandConfig(options, {
        ...(options.port ? { port: Number(options.port) } : {}),
        ...(options.host ? { host: options.host } : {}),
        ...(options.demo === false ? { demoOnEmptyDatabase: false } : {}),
      });
      if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) {
        throw new Error(`--port must be a whole number from 0 to 65535, not ${options.port}`);
      }
      const store = await openCommandStore(config);
      let server;
      try {
        server = await startServer(config, store, say);
      } catch (error) {
        await store.close();
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new CivitasError(
            'bad_request',
            `port ${config.port} on ${config.host} is already in use: stop the other server or choose another with PORT or --port`,
          );
        }
        throw error;
      }
      say(
        `Civitas serving ${server.url} (API ${server.url}/api, reference ${server.url}/api/docs; ${store.kind} database)`,
      );
      const stop = async () => {
        await server.close();
        await store.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
