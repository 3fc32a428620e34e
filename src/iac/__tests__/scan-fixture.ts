import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig, type ResolvedConfig } from '../../config/config-schema';
import computeCapacity from '../checks/compute-capacity';
import dataStores from '../checks/data-stores';
import lambdaDeployment from '../checks/lambda-deployment';
import { isIacCandidate, scanIac, type IacScanResult } from '../scan-iac';
import type { IacInputFile } from '../../types';

export const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/iac');

function listFiles(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const abs = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(abs, base) : [path.relative(base, abs).split(path.sep).join('/')];
  });
}

/**
 * The rules of the resource-settings checks (databases, compute, deployments). Nearly every
 * template has a function without a DeploymentPreference, so the tests of the queue, event and
 * concurrency checks list their own findings without these; reliability-rules.test.ts pins them.
 */
const SETTINGS_RULES = new Set([dataStores, computeCapacity, lambdaDeployment].flatMap((c) => c.ruleIds));

function withoutSettingsRules(result: IacScanResult): IacScanResult {
  return { ...result, findings: result.findings.filter((f) => !SETTINGS_RULES.has(f.ruleId)) };
}

/** Scans one fixture project the way the engine does: candidates by text, all files as repo evidence. */
export function scanFixture(name: string): IacScanResult {
  return withoutSettingsRules(scanFixtureAll(name));
}

/** scanFixture with every rule's findings */
export function scanFixtureAll(name: string): IacScanResult {
  const root = path.join(FIXTURES, name);
  const repoFiles = listFiles(root);
  const inputs: IacInputFile[] = repoFiles
    .map((p) => ({ path: p, absPath: path.join(root, p), text: fs.readFileSync(path.join(root, p), 'utf8') }))
    .filter((f) => isIacCandidate(f.path, f.text));
  return scanIac(inputs, { root, config: defaultConfig(), repoFiles });
}

/** Scans in-memory files (no repository evidence beyond the given paths), without the settings rules. */
export function scanTexts(
  files: Record<string, string>,
  extraRepoFiles: string[] = [],
  config: ResolvedConfig = defaultConfig(),
): IacScanResult {
  return withoutSettingsRules(scanTextsAll(files, extraRepoFiles, config));
}

/** scanTexts with every rule's findings */
export function scanTextsAll(
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
