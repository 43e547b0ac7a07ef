import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint({ cwd: process.cwd() });

async function messagesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('the import direction geo ← domain ← analysis ← service ← api | cli', () => {
  it.each([
    [
      'src/geo/x.ts',
      "import { a } from '../domain/area/area.js';",
      /src\/geo\/ is the bottom layer/,
    ],
    [
      'src/domain/x.ts',
      "import { a } from '../service/deps.js';",
      /src\/domain\/ may import only src\/geo/,
    ],
    ['src/analysis/x.ts', "import { a } from '../store/ports.js';", /src\/analysis\/ is pure/],
    ['src/service/x.ts', "import { a } from '../api/build-app.js';", /src\/service\//],
    ['src/service/x.ts', "import { a } from '../store/sqlite/connect.js';", /never an adapter/],
    [
      'src/api/routes/x.ts',
      "import { a } from '../../store/postgres/connect.js';",
      /only build-app\.ts and cli\//,
    ],
    [
      'web/src/x.ts',
      "import { a } from '../../src/service/deps.js';",
      /web\/ reaches the server only over HTTP/,
    ],
  ])('rejects an import against the direction in %s', async (file, code, advice) => {
    const messages = await messagesFor(file, `${code}\nexport const b = a;\n`);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(advice);
  });

  it.each([
    ['src/domain/x.ts', "import { a } from '../geo/index.js';"],
    ['src/service/x.ts', "import { a } from '../store/ports.js';"],
    ['src/api/build-app.ts', "import { a } from '../service/deps.js';"],
    ['web/src/x.ts', "import { a } from '../../src/contract/index.js';"],
  ])('allows an import along the direction in %s', async (file, code) => {
    expect(await messagesFor(file, `${code}\nexport const b = a;\n`)).toEqual([]);
  });
});
