import type { Command } from 'commander';
import { defaultDeps } from '../service/deps.js';
import {
  approveRelease,
  compareReleases,
  createDraftRelease,
  listReleases,
  submitRelease,
} from '../service/register/release.service.js';
import { formatMarking } from '../domain/taxonomy/index.js';
import {
  commandActor,
  commandConfig,
  openCommandStore,
  say,
  type CommonOptions,
} from './context.js';

const dbOption = [
  '--db <path|url>',
  'SQLite file or postgres:// URL (env CIVITAS_DATABASE_URL)',
] as const;
const asOption = [
  '--as <username>',
  'act as this user (the author and the approver must differ)',
] as const;

/** `civitas release list|create|submit|approve|diff`: versioned NSL/RTL releases. */
export function registerRelease(program: Command): void {
  const release = program
    .command('release')
    .description('versioned no-strike (NSL) and restricted-target (RTL) list releases');
  const open = async (o: CommonOptions & { as?: string }) => {
    const store = await openCommandStore(commandConfig(o));
    return {
      store,
      deps: defaultDeps(store),
      actor: await commandActor(store, o.as).catch(async (e) => {
        await store.close();
        throw e;
      }),
    };
  };

  release
    .command('list')
    .description('list releases')
    .option(...asOption)
    .option(...dbOption)
    .action(async (o: CommonOptions & { as?: string }) => {
      const { store, deps, actor } = await open(o);
      try {
        const page = await listReleases(deps, actor, { limit: 500, offset: 0 });
        for (const r of page.items) {
          say(
            [
              r.number ?? '-',
              r.status,
              r.title,
              `${r.objectCount} objects`,
              formatMarking(r.marking),
              r.id,
            ].join('\t'),
          );
        }
      } finally {
        await store.close();
      }
    });

  release
    .command('create <title>')
    .description('start a draft that freezes every object now on the NSL or RTL')
    .option(...asOption)
    .option(...dbOption)
    .action(async (title: string, o: CommonOptions & { as?: string }) => {
      const { store, deps, actor } = await open(o);
      try {
        const r = await createDraftRelease(deps, actor, title);
        say(`Draft ${r.id}: ${r.objectCount} objects, ${formatMarking(r.marking)}.`);
      } finally {
        await store.close();
      }
    });

  for (const [name, run, text] of [
    ['submit', submitRelease, 'send a draft for review'],
    [
      'approve',
      approveRelease,
      'approve a release under review (not by its author); it gets the next number',
    ],
  ] as const) {
    release
      .command(`${name} <idOrNumber>`)
      .description(text)
      .option(...asOption)
      .option(...dbOption)
      .action(async (id: string, o: CommonOptions & { as?: string }) => {
        const { store, deps, actor } = await open(o);
        try {
          const r = await run(deps, actor, id);
          say(`Release ${r.number ?? r.id} is ${r.status}.`);
        } finally {
          await store.close();
        }
      });
  }

  release
    .command('diff <idOrNumber>')
    .description('what changed since the previous release (or --against N)')
    .option('--against <n>', 'compare with this release')
    .option(...asOption)
    .option(...dbOption)
    .action(async (id: string, o: CommonOptions & { as?: string; against?: string }) => {
      const { store, deps, actor } = await open(o);
      try {
        const r = await compareReleases(deps, actor, id, o.against);
        say(
          `Release ${r.release.number ?? r.release.id} against ${r.against ? r.against.number : 'nothing'}:`,
        );
        say(
          `  added ${r.diff.added.length}, removed ${r.diff.removed.length}, moved ${r.diff.moved.length}, changed ${r.diff.changed.length}`,
        );
        for (const m of r.diff.moved) say(`  moved ${m.objectId} by ${m.metres.toFixed(0)} m`);
        for (const c of r.diff.changed) say(`  changed ${c.objectId}: ${c.fields.join(', ')}`);
      } finally {
        await store.close();
      }
    });
}
