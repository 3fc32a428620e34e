import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog';
import { loadConfig } from '../../src/config/load-config';
import { settleFixability, type SettledScan } from '../../src/engine/fixability';
import { reliabilityFacts } from '../../src/iac/reliability-facts';
import { playbook } from '../../src/report/playbook';
import { splitSections } from '../../src/report/playbook-merge';
import { compositionOf } from '../../src/report/policy-composition';
import { reliabilityPlan } from '../../src/report/reliability-plan';
import { readinessReview } from '../../src/report/review';
import { scan } from '../../src/scan/scan';
import { SEVERITIES, type ScanResult } from '../../src/types';
import { EXAMPLE } from '../helpers/cli';

/**
 * The three documents are written from the same data as the code they describe: their counts,
 * severities, rule ids and code excerpts are those of the scan, the fixes they promise are the
 * fixes the engine computes, and what they say of the policies module is what it generates.
 */

const DATE = '2026-11-30';
const catalog = loadCatalog();

function section(doc: string, name: string): string {
  const part = splitSections(doc).find((p) => p.kind === 'section' && p.name === name);
  if (!part) throw new Error(`no section ${name}`);
  return part.text;
}

/** Backticked words that look like rule ids (kebab-case, no path or dot). */
function citedIds(text: string): string[] {
  return [...new Set([...text.matchAll(/`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`/g)].map((m) => m[1]!))];
}

let settled: SettledScan;
let result: ScanResult;
let playbookDoc: string;
let reviewDoc: string;
let planDoc: string;

beforeAll(async () => {
  const config = loadConfig(EXAMPLE);
  settled = await settleFixability(scan({ root: EXAMPLE, paths: [EXAMPLE], config }), config);
  result = settled.result;
  const facts = result.reliability ?? reliabilityFacts(result.iacFiles ?? []);
  playbookDoc = playbook(result, { date: DATE, config });
  reviewDoc = readinessReview(result, facts, { date: DATE });
  planDoc = reliabilityPlan(result, facts, { date: DATE });
}, 60_000);

describe('the playbook agrees with the scan and the generated code', () => {
  it("lists every finding once, at its place, with its catalog severity and the detector's own words", () => {
    const body = section(playbookDoc, 'findings');
    const entries = [
      ...body.matchAll(
        /- \*\*File\*\*: (\S+)#L(\d+)[\s\S]*?- \*\*Anti-pattern\*\*: .*\(`([a-z-]+)`\)[\s\S]*?Here: ([^\n]*)/g,
      ),
    ];
    expect(entries).toHaveLength(result.findings.length);
    const listed = entries.map((m) => `${m[3]} ${m[1]}:${m[2]}`).sort();
    expect(listed).toEqual(result.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort());
    for (const m of entries) {
      const f = result.findings.find((x) => x.ruleId === m[3] && x.file === m[1] && x.line === Number(m[2]))!;
      expect(m[4]).toContain(f.message.replace(/\.$/, ''));
    }
    for (const severity of SEVERITIES) {
      const heading = new RegExp(`### ${severity.toUpperCase()}\\n([\\s\\S]*?)(?=\\n### |$)`).exec(body)?.[1] ?? '';
      expect((heading.match(/- \*\*File\*\*/g) ?? []).length, severity).toBe(
        result.findings.filter((f) => f.severity === severity).length,
      );
    }
  });

  it('promises a fix exactly for the findings the fix engine fixes', () => {
    const body = section(playbookDoc, 'findings');
    const promised = (body.match(/makes this change/g) ?? []).length;
    expect(promised).toBe(settled.computed.fixed.filter((f) => result.findings.includes(f)).length);
    expect(promised).toBeLessThan(result.findings.length);
    // the findings left by the engine carry no promise
    for (const { finding } of settled.computed.left) {
      const entry = new RegExp(
        `\\*\\*File\\*\\*: ${finding.file.replace(/[.]/g, '\\.')}#L${finding.line}\\n[^\\n]*\\(\`${finding.ruleId}\`\\)\\n[^\\n]*\\n[^\\n]*`,
      ).exec(body)?.[0];
      expect(entry, `${finding.ruleId} ${finding.file}:${finding.line}`).toBeDefined();
      expect(entry).not.toContain('makes this change');
    }
  });

  it('names the policies as the fixed code calls them and their composition as the generated module builds it', () => {
    const body = section(playbookDoc, 'architecture');
    const keys = new Set(
      settled.computed.changes.flatMap((c) => [...c.after.matchAll(/policyFor\('([^']+)'\)/g)].map((m) => m[1]!)),
    );
    keys.delete('payments'); // the usage example in the generated module's header comment
    expect(keys.size).toBeGreaterThan(0);
    for (const key of keys) expect(body).toContain(`\`policyFor('${key}')\``);
    const generated = settled.computed.changes.find((c) => c.file === 'src/resilience/policies.ts')!.after;
    const composition = compositionOf(generated);
    expect(composition).toEqual(['retry', 'circuit breaker', 'timeout']);
    expect(body).toContain(`composed outer to inner as ${composition.join(' → ')}`);
    expect(section(playbookDoc, 'plan')).toContain(`through its policy (${composition.join(' → ')})`);
    expect(playbookDoc).not.toMatch(/wrap\(timeout, retry, circuitBreaker\)|timeout → retry → breaker/);
  });

  it('never marks a protection ✅ beside a finding of that area for the same dependency', () => {
    const rows = section(playbookDoc, 'architecture')
      .split('\n')
      .filter((l) => /^\| .* \| (✅|❌) \| (✅|❌) \| (✅|❌) \|$/.test(l));
    expect(rows.length).toBe(result.discovery.dependencies.length);
    const areaColumn: Record<string, number> = { Timeouts: 0, Retries: 1, 'Circuit breakers': 2 };
    for (const row of rows) {
      const cells = row.split(' | ');
      const name = cells[0]!.replace(/^\| /, '');
      const marks = cells.slice(-3).map((c) => c.replace(/ \|$/, ''));
      for (const f of result.findings.filter((x) => x.dependency?.name === name)) {
        const column = areaColumn[catalog.byId.get(f.ruleId)!.area];
        if (column !== undefined) expect(marks[column], `${name}: ${f.ruleId}`).toBe('❌');
      }
    }
    expect(rows.find((r) => r.startsWith('| DynamoDB |'))).toMatch(/\| ❌ \| (✅|❌) \| (✅|❌) \|$/);
  });

  it('audit summary counts add up to the scan', () => {
    const rows = section(playbookDoc, 'audit-summary')
      .split('\n')
      .filter((l) => /^\| [A-Z]/.test(l) && !l.startsWith('| Area'));
    const total = rows.reduce((n, r) => n + Number(/\| (\d+)(?: \(| \|)/.exec(r)?.[1] ?? 0), 0);
    expect(total).toBe(result.findings.length);
  });

  it('cites only catalog rule ids', () => {
    for (const id of citedIds(playbookDoc)) expect(catalog.byId.has(id), id).toBe(true);
  });
});

describe('the readiness review agrees with the scan', () => {
  it('cites only rule ids that --only and suppressions accept', () => {
    const ids = citedIds(reviewDoc);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(catalog.byId.has(id), id).toBe(true);
  });

  it('every count it states is the number of places it lists', () => {
    const lines = reviewDoc
      .split('\n')
      .filter((l) => /\b\d+ (client|call|retry loop|dependency call|breaker|timeout|Lambda)/.test(l));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const stated = [
        ...line.matchAll(/\b(\d+) (?:client|call|retry loop|dependency call|breaker|timeout|Lambda)/g),
      ].reduce((n, m) => n + Number(m[1]), 0);
      const evidence = /Evidence: (.*)$/.exec(line)?.[1] ?? /\(([^()]*`[^()]*)\)$/.exec(line)?.[1] ?? '';
      const listed = (evidence.match(/`[^`]+`/g) ?? []).length + Number(/ and (\d+) more/.exec(evidence)?.[1] ?? 0);
      expect(listed, line).toBe(stated);
    }
  });

  it("its blockers are the scan's critical findings", () => {
    const blockers = reviewDoc.slice(reviewDoc.indexOf('Blockers:'));
    const critical = new Set(result.findings.filter((f) => f.severity === 'critical').map((f) => f.ruleId));
    expect(citedIds(blockers).sort()).toEqual([...critical].sort());
  });
});

describe('the reliability plan agrees with the scan', () => {
  it("counts the scan's findings at the scan's severities, IaC gaps apart", () => {
    const s = result.findings;
    const n = (sev: string) => s.filter((f) => f.severity === sev).length;
    expect(section(planDoc, 'executive-summary')).toContain(
      `- **Findings**: ${n('critical')} Critical, ${n('high')} High, ${n('medium')} Medium, ${n('low')} Low (the scan's ${s.length} findings, at the scan's severities)`,
    );
  });

  it("rates each rule's findings at the severity the scan gives them, with their places and an excerpt of one", () => {
    const body = `${section(planDoc, 'critical-high-findings')}\n${section(planDoc, 'medium-low-findings')}`;
    for (const ruleId of new Set(result.findings.map((f) => f.ruleId))) {
      const group = result.findings.filter((f) => f.ruleId === ruleId);
      const title = catalog.byId.get(ruleId)!.title;
      const risk = group[0]!.severity.replace(/^./, (c) => c.toUpperCase());
      const heading = new RegExp(
        `### REL-\\d+ — ${title.replace(/[()]/g, '\\$&')} \\((\\w+)\\)\\n\\n[\\s\\S]*?- \\*\\*Description\\*\\*: ([^\\n]*)\\n- \\*\\*Evidence\\*\\*: ([^\\n]*)`,
      ).exec(body);
      const row = new RegExp(
        `^\\| REL-\\d+ \\| (\\w+) \\| [^|]+ \\| ${title.replace(/[()]/g, '\\$&')} \\| ([^|]*) \\|`,
        'm',
      ).exec(body);
      expect(heading ?? row, ruleId).toBeTruthy();
      if (heading) {
        expect(heading[1], ruleId).toBe(risk);
        expect(heading[2]).toContain(`Example: ${group[0]!.message.replace(/\.$/, '')}`);
        expect((heading[3]!.match(/`[^`]+`/g) ?? []).length).toBe(
          new Set(group.map((f) => `${f.file}:${f.line}`)).size,
        );
      } else {
        expect(row![1], ruleId).toBe(risk);
      }
    }
  });
});
