import type { Command } from 'commander';
import { Classification, Releasability } from '../domain/taxonomy/index.js';
import { Compartment, Role } from '../domain/access/role.js';
import { CivitasError } from '../domain/shared/civitas-error.js';
import { issueToken } from '../service/auth/auth.service.js';
import {
  createUser,
  getUser,
  grantCompartment,
  listUsers,
  resetPassword,
  updateUser,
} from '../service/auth/user.service.js';
import { defaultDeps } from '../service/deps.js';
import { cliActor, commandConfig, openCommandStore, say, type CommonOptions } from './context.js';

const dbOption = [
  '--db <path|url>',
  'SQLite file or postgres:// URL (env CIVITAS_DATABASE_URL)',
] as const;

function parseCode<T extends string>(
  list: { is(v: unknown): v is T; codes: readonly T[] },
  value: string,
  what: string,
): T {
  if (!list.is(value))
    throw new CivitasError(
      'validation_failed',
      `${what} must be one of ${list.codes.join(', ')}, not ${value}`,
    );
  return value;
}

async function withStore<T>(
  options: CommonOptions,
  work: (deps: ReturnType<typeof defaultDeps>) => Promise<T>,
): Promise<T> {
  const store = await openCommandStore(commandConfig(options));
  try {
    return await work(defaultDeps(store));
  } finally {
    await store.close();
  }
}

/** `civitas user add|list|disable|enable|grant|token`: account administration on the server. */
export function registerUser(program: Command): void {
  const user = program
    .command('user')
    .description('manage user accounts (audited as cli:<os user>)');

  user
    .command('add <username>')
    .description('create a user; prints a one-time password unless --password-stdin is given')
    .requiredOption('--role <role>', `one of ${Role.codes.join(', ')}`)
    .option('--clearance <level>', `one of ${Classification.codes.join(', ')}`, 'NU')
    .option(
      '--org <codes>',
      `organisations whose releases the user may see, comma-separated (${Releasability.codes.join(', ')})`,
      'NATO',
    )
    .requiredOption('--name <full name>', 'full name (stored encrypted)')
    .option('--contact <text>', 'contact details (stored encrypted)', '')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .option(...dbOption)
    .action(
      async (
        username: string,
        o: CommonOptions & {
          role: string;
          clearance: string;
          org: string;
          name: string;
          contact: string;
          passwordStdin?: boolean;
        },
      ) => {
        let password: string | undefined;
        if (o.passwordStdin) {
          const chunks: Buffer[] = [];
          for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
          password = Buffer.concat(chunks)
            .toString('utf8')
            .replace(/\r?\n$/, '');
        }
        await withStore(o, async (deps) => {
          const created = await createUser(deps, cliActor(), {
            username,
            role: parseCode(Role, o.role, '--role'),
            clearance: parseCode(Classification, o.clearance, '--clearance'),
            organisations: o.org
              .split(',')
              .filter(Boolean)
              .map((c) => parseCode(Releasability, c.trim(), '--org')),
            fullName: o.name,
            contact: o.contact,
            ...(password !== undefined ? { password } : {}),
          });
          say(
            `Created ${created.user.username} (${Role.label(created.user.role)}, ${created.user.clearance}).`,
          );
          if (password === undefined) say(`One-time password: ${created.password}`);
        });
      },
    );

  user
    .command('list')
    .description('list users')
    .option(...dbOption)
    .action(async (o: CommonOptions) => {
      await withStore(o, async (deps) => {
        const page = await listUsers(deps, cliActor(), { limit: 500, offset: 0 });
        for (const u of page.items) {
          say(
            [
              u.username,
              u.role,
              u.clearance,
              u.organisations.join(','),
              u.compartments.join(',') || '-',
              u.disabled ? 'DISABLED' : 'active',
              u.demo ? 'DEMO' : '',
            ].join('\t'),
          );
        }
        say(`${page.total} user(s)`);
      });
    });

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    user
      .command(`${name} <username>`)
      .description(
        disabled ? 'disable a user and end all their sessions at once' : 'enable a disabled user',
      )
      .option(...dbOption)
      .action(async (username: string, o: CommonOptions) => {
        await withStore(o, async (deps) => {
          await updateUser(deps, cliActor(), username, { disabled });
          say(`${username} ${disabled ? 'disabled; all sessions ended' : 'enabled'}.`);
        });
      });
  }

  user
    .command('reset-password <username>')
    .description("set a new one-time password (printed once) and end all the user's sessions")
    .option(...dbOption)
    .action(async (username: string, o: CommonOptions) => {
      await withStore(o, async (deps) => {
        const password = await resetPassword(deps, cliActor(), username);
        say(`New one-time password for ${username}: ${password}`);
      });
    });

  user
    .command('grant <username> <compartment>')
    .description(`grant a need-to-know compartment (${Compartment.codes.join(', ')})`)
    .option(...dbOption)
    .action(async (username: string, compartment: string, o: CommonOptions) => {
      await withStore(o, async (deps) => {
        const u = await grantCompartment(
          deps,
          cliActor(),
          username,
          parseCode(Compartment, compartment, 'compartment'),
        );
        say(`${u.username} now holds: ${u.compartments.join(', ')}.`);
      });
    });

  user
    .command('token <username>')
    .description('issue an API token for a user (printed once)')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--scope <scopes>', 'read or read,write', 'read')
    .option('--days <n>', 'lifetime in days (1–365)', '90')
    .option(...dbOption)
    .action(
      async (
        username: string,
        o: CommonOptions & { name: string; scope: string; days: string },
      ) => {
        const scopes = o.scope.split(',').map((s) => s.trim());
        for (const s of scopes)
          if (s !== 'read' && s !== 'write')
            throw new CivitasError('validation_failed', `--scope takes read and write, not ${s}`);
        await withStore(o, async (deps) => {
          const target = await getUser(deps, cliActor(), username);
          const issued = await issueToken(deps, cliActor(), target, {
            name: o.name,
            scopes: scopes as ('read' | 'write')[],
            days: Number(o.days),
          });
          say(
            `Token for ${username} (${issued.record.scopes.join(',')}, expires ${issued.record.expiresAt}):`,
          );
          say(issued.token);
        });
      },
    );
}
