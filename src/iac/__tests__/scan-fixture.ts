import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig, type ResolvedConfig } from '../../config/config-schema';
import { isIacCandidate, scanIac, type IacScanResult } from '../scan-iac';
import type { IacInputFile } from '../../types';

export const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/iac');

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(abs, base) : [path.relative(base, abs).split(path.sep).join('/')];
  });
}

/** Scans one fixture project the way the engine does: candidates by text, all files as repo evidence. */
export function scanFixture(name: string): IacScanResult {
  const root = path.join(FIXTURES, name);
  const repoFiles = listFiles(root);
  const inputs: IacInputFile[] = repoFiles
    .map((p) => ({ path: p, absPath: path.join(root, p), text: fs.readFileSync(path.join(root, p), 'utf8') }))
    .filter((f) => isIacCandidate(f.path, f.text));
  return scanIac(inputs, { root, config: defaultConfig(), repoFiles });
}

/** Scans in-memory files (no repository evidence beyond the given paths). */
export function scanTexts(
  files: Record<string, string>,
  extraRepoFiles: string[] = [],
  config: ResolvedConfig = defaultConfig(),
): IacScanResult {
  const inputs = Object.entries(files).map(([p, text]) => ({ path: p, absPath: `/project/${p}`, text }));
  return scanIac(
    inputs.filter((f) => isIacCandidate(f.path, f.text)),
    {
      root: '/project',
      config,
      repoFiles: [...Object.keys(files), ...extraRepoFiles],
    },
  );
}

/** `ruleId@file:line` strings, for compact exact assertions */
export function spots(result: IacScanResult): string[] {
  return result.findings.map((f) => `${f.ruleId}@${f.file}:${f.line}`);
}
