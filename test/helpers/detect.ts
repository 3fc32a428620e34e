import { readdirSync, readFileSync } from 'node:fs';
import { join as pathJoin } from 'node:path';
import { defaultConfig } from '../../src/config/config-schema';
import type { CodeDetector, ProjectFacts } from '../../src/detect/detector-api';
import { detectFile } from '../../src/detect/detect-file';
import type { RawFinding } from '../../src/types';
import { languageOf } from '../../src/parse/parse-options';

export function projectFacts(overrides: Partial<ProjectFacts> = {}): ProjectFacts {
  return {
    root: '/project',
    config: defaultConfig(),
    iacHandlers: new Map(),
    usesLambda: false,
    packageDependencies: new Set(),
    ...overrides,
  };
}

/** Runs one detector over a snippet; returns its raw findings (rule id, 1-based line/column, message). */
export function detect(
  detector: CodeDetector,
  code: string,
  options: { path?: string; project?: Partial<ProjectFacts> } = {},
): RawFinding[] {
  const path = options.path ?? 'src/example.ts';
  const lang = languageOf(path);
  if (!lang) throw new Error(`not a source file: ${path}`);
  const result = detectFile(
    { path, absPath: `/project/${path}`, text: code, lang },
    [detector],
    projectFacts(options.project),
  );
  if (result.notes.some((n) => n.kind === 'parse-error' && !n.message.startsWith('recovered'))) {
    throw new Error(`snippet does not parse: ${result.notes[0]!.message}`);
  }
  return result.findings;
}

/** "<ruleId>@<line>" for each finding, sorted: compact to assert on. */
function ids(findings: RawFinding[]): string[] {
  return findings.map((f) => `${f.ruleId}@${f.line}`).sort();
}

const EXAMPLE_DIR = pathJoin(__dirname, '../../examples/orders-service');

/** "<file>:<rule>@<line>" of one detector over the example service's source files (as listed in its EXPECTED.md). */
export function detectOnExample(detector: CodeDetector): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(pathJoin(EXAMPLE_DIR, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else if (/\.ts$/.test(e.name)) files.push(rel);
    }
  };
  walk('src');
  return files
    .flatMap((f) =>
      ids(detect(detector, readFileSync(pathJoin(EXAMPLE_DIR, f), 'utf8'), { path: f })).map((id) => `${f}:${id}`),
    )
    .sort();
}
