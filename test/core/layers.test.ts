import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The layers point one way: cli/main.ts starts the commands and the planner; both stand on the
 * session (root, config, scan, compute, apply, validate), which stands on scan and the engine,
 * which stand on the detectors and transforms. `npm run lint` rejects any import circle; this
 * test rejects an import that points up a layer, read from the same import graph (madge).
 */

const REPO = path.resolve(__dirname, '../..');

/** file → the project files it imports (posix, relative to the repository), type imports included. */
let graph: Record<string, string[]>;

beforeAll(() => {
  const run = spawnSync(
    path.join(REPO, 'node_modules/.bin/madge'),
    ['--json', '--no-spinner', '--extensions', 'ts', '--ts-config', 'tsconfig.json', 'src', 'detectors', 'transforms'],
    { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  expect(run.status, run.stderr).toBe(0);
  graph = JSON.parse(run.stdout) as Record<string, string[]>;
}, 180_000);

const isTest = (file: string): boolean => /(^|\/)__tests__\//.test(file) || file.endsWith('.test.ts');

/** The imports from files matching `from` (tests aside) of files matching `to`, as "a -> b". */
function imports(from: (f: string) => boolean, to: (f: string) => boolean): string[] {
  return Object.entries(graph)
    .filter(([file]) => from(file) && !isTest(file))
    .flatMap(([file, deps]) => deps.filter(to).map((dep) => `${file} -> ${dep}`));
}

const under =
  (...dirs: string[]) =>
  (f: string): boolean =>
    dirs.some((d) => f.startsWith(`${d}/`));

describe('layers', () => {
  it('reads the graph it checks (the session, the planner and the commands are in it)', () => {
    expect(graph['src/cli/main.ts']).toContain('src/planner/analyze-mode.ts');
    expect(graph['src/planner/interactive.ts']).toContain('src/session/open-session.ts');
    expect(graph['src/session/open-session.ts']).toContain('src/scan/scan.ts');
  });

  it('the planner does not import the commands', () => {
    expect(imports(under('src/planner'), under('src/cli'))).toEqual([]);
  });

  it('cli/main.ts is the one command file that starts the planner', () => {
    expect(imports((f) => f.startsWith('src/cli/') && f !== 'src/cli/main.ts', under('src/planner'))).toEqual([]);
  });

  it('the session imports neither the commands nor the planner', () => {
    expect(imports(under('src/session'), under('src/cli', 'src/planner'))).toEqual([]);
  });

  it('below the session nothing imports the session, the planner or the commands', () => {
    const below = (f: string): boolean =>
      !under('src/session', 'src/cli', 'src/planner')(f) && f !== 'src/index.ts' && !f.startsWith('test/');
    expect(imports(below, under('src/session', 'src/cli', 'src/planner'))).toEqual([]);
  });

  it('detectors and transforms know nothing of the runs that use them (scan, engine, session)', () => {
    expect(
      imports(
        under('detectors', 'transforms'),
        under('src/scan', 'src/engine', 'src/session', 'src/cli', 'src/planner'),
      ),
    ).toEqual([]);
  });
});
