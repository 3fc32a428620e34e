import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/catalog';
import type { FixStepMeta } from '../../api/step-metadata';
import { codeDetectors } from '../detectors';
import { CODE_FIX_STEPS, codeFixStep } from '../fix-steps';
import { orderSteps } from '../step-order';
import { IAC_FIX_FAMILIES } from '../iac-fix-families';
import {
  MODULE_INDEXES,
  moduleIndexSource,
  moduleNames,
  projectRoot,
  readmeWithTable,
  rulesTable,
  TABLE_END,
  TABLE_START,
} from '../generated-files';

const ROOT = projectRoot(__dirname);
const catalog = loadCatalog();

describe('fix step order', () => {
  it('is the implementation order the engine has always used', () => {
    expect(CODE_FIX_STEPS.map((s) => s.name)).toEqual([
      'error-taxonomy',
      'swallowed-catch',
      'infra-failure-status',
      'forward-route-errors',
      'policy-layer',
      'external-breaker-state',
      'replace-retry-loop',
      'wrap-in-policy',
      'add-timeout',
      'idempotent-handler',
      'console-to-logger',
      'add-health-routes',
      'graceful-shutdown',
    ]);
  });

  it('keeps the prerequisites the planner and the engine rely on', () => {
    expect(Object.fromEntries(CODE_FIX_STEPS.map((s) => [s.name, s.requires]))).toEqual({
      'error-taxonomy': [],
      'swallowed-catch': ['error-taxonomy'],
      'infra-failure-status': ['error-taxonomy'],
      'forward-route-errors': ['error-taxonomy'],
      'policy-layer': ['error-taxonomy'],
      'external-breaker-state': [],
      'replace-retry-loop': ['policy-layer'],
      'wrap-in-policy': ['policy-layer'],
      'add-timeout': [],
      'idempotent-handler': [],
      'console-to-logger': [],
      'add-health-routes': [],
      'graceful-shutdown': [],
    });
  });

  const meta = (name: string, phase: FixStepMeta['phase'], more: Partial<FixStepMeta> = {}): { step: FixStepMeta } => ({
    step: { name, phase, fixes: [], requires: [], ...more },
  });
  const names = (ms: Array<{ step: FixStepMeta }>): string[] => ms.map((m) => m.step.name);

  it('does not depend on the order the modules are listed in', () => {
    const modules = [meta('b', '4.1'), meta('a', '4.3'), meta('c', '4.1', { runsBefore: ['b'] }), meta('d', '4.3')];
    expect(names(orderSteps(modules))).toEqual(['c', 'b', 'a', 'd']);
    expect(names(orderSteps([...modules].reverse()))).toEqual(['c', 'b', 'a', 'd']);
  });

  it('runs a step after what it requires or runs after, phase by phase', () => {
    const modules = [meta('z', '4.1'), meta('a', '4.1', { runsAfter: ['z'] }), meta('m', '4.2', { requires: ['a'] })];
    expect(names(orderSteps(modules))).toEqual(['z', 'a', 'm']);
  });

  it('refuses a circle, an unknown step and a constraint against the phases', () => {
    expect(() => orderSteps([meta('a', '4.1', { runsAfter: ['b'] }), meta('b', '4.1', { runsAfter: ['a'] })])).toThrow(
      /wait for each other/,
    );
    expect(() => orderSteps([meta('a', '4.1', { requires: ['nope'] })])).toThrow(/unknown step "nope"/);
    expect(() => orderSteps([meta('a', '4.1', { runsAfter: ['b'] }), meta('b', '4.3')])).toThrow(/cannot run after/);
  });
});

describe('registry and catalog', () => {
  const detectorFiles = new Set(moduleNames(ROOT, 'detectors'));

  it('resolves every code rule to a detector module under detectors/ that declares it', () => {
    for (const rule of catalog.rules.filter((r) => r.detector !== 'iac')) {
      expect(detectorFiles.has(rule.detector), `${rule.id}: detectors/${rule.detector}.ts`).toBe(true);
      const detector = codeDetectors.find((d) => d.name === rule.detector);
      expect(detector?.ruleIds, `${rule.id}: detector "${rule.detector}"`).toContain(rule.id);
    }
  });

  it('names each detector module by its file and has every id it declares in the catalog', () => {
    expect(codeDetectors.map((d) => d.name).sort()).toEqual([...detectorFiles].sort());
    for (const d of codeDetectors)
      // a detector may report another family's rule on a second look (callers: catches whose callers changed)
      for (const id of d.ruleIds) expect(catalog.byId.has(id), `${d.name} declares ${id}`).toBe(true);
  });

  it('finds every IaC rule in the IaC checks', () => {
    const checks = fs
      .readdirSync(path.join(ROOT, 'src/iac/checks'))
      .map((f) => fs.readFileSync(path.join(ROOT, 'src/iac/checks', f), 'utf8'))
      .join('\n');
    for (const rule of catalog.rules.filter((r) => r.detector === 'iac'))
      expect(checks, `${rule.id} in src/iac/checks/`).toContain(`'${rule.id}'`);
  });

  it('resolves every catalog transform to a fix step that declares the rule, or to an IaC fix family', () => {
    for (const rule of catalog.rules) {
      if (!rule.transform) continue;
      const step = codeFixStep(rule.transform);
      if (step) {
        expect(step.meta.fixes, `${rule.id}: transforms/${rule.transform}.ts`).toContain(rule.id);
        expect(step.phase, `${rule.id}: phase of ${rule.transform}`).toBe(rule.phase);
      } else expect(Object.keys(IAC_FIX_FAMILIES), `${rule.id}: ${rule.transform}`).toContain(rule.transform);
    }
  });

  it('has every rule a fix step declares name that step as its transform', () => {
    for (const s of CODE_FIX_STEPS) {
      expect(fs.existsSync(path.join(ROOT, 'transforms', `${s.name}.ts`)), `transforms/${s.name}.ts`).toBe(true);
      for (const id of s.meta.fixes) expect(catalog.byId.get(id)?.transform, `${s.name} fixes ${id}`).toBe(s.name);
    }
  });

  it('registry, catalog and README rules table list the same rule ids', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf(TABLE_START), readme.indexOf(TABLE_END));
    const readmeIds = [...table.matchAll(/^\| ([a-z][a-z0-9-]*) \|/gm)].map((m) => m[1]!).filter((id) => id !== 'id');
    const registryIds = [
      ...codeDetectors.flatMap((d) => d.ruleIds),
      ...catalog.rules.filter((r) => r.detector === 'iac').map((r) => r.id),
    ];
    const catalogIds = catalog.rules.map((r) => r.id);
    expect(new Set(readmeIds)).toEqual(new Set(catalogIds));
    expect(new Set(registryIds)).toEqual(new Set(catalogIds));
    expect(readmeIds).toHaveLength(catalogIds.length);
  });
});

describe('generated files (npm run docs:rules)', () => {
  it.each(Object.entries(MODULE_INDEXES))('the module index of %s/ lists every file there (%s)', (dir, file) => {
    expect(fs.readFileSync(path.join(ROOT, file), 'utf8')).toBe(moduleIndexSource(ROOT, dir as 'detectors'));
  });

  it("the README's rules table is the catalog's", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toBe(readmeWithTable(readme, rulesTable(catalog, ROOT)));
  });

  it('a rule added to the catalog is a row of the table', () => {
    const rule = { ...catalog.rules[0]!, id: 'made-up-rule', transform: undefined };
    expect(rulesTable({ rules: [rule] }, ROOT).split('\n')[2]).toBe(
      `| made-up-rule | ${rule.severity} | ${rule.phase} | report |`,
    );
  });
});
