import { loadCatalog, type Catalog } from '../catalog/catalog';
import { defaultConfig, type ResolvedConfig } from '../config/config-schema';
import type { Discovery } from '../discovery/discovery-types';
import { SEVERITIES, type Finding, type ScanResult } from '../types';
import { doNotRecommend, librariesFor, whyText } from './libraries';
import { cell } from './markdown-report';
import { joinSections, mergeSections, type Section } from './playbook-merge';
import { planTickets } from './playbook-plan';
import { generatedComposition, policyKeyOf } from './policy-composition';

/** The audit-summary rows, in the spec's order; catalog areas outside it follow. */
export const AUDIT_AREAS = [
  'Timeouts',
  'Retries',
  'Circuit breakers',
  'Error handling',
  'DLQ / dead letters',
  'Idempotency',
  'Observability',
  'Concurrency limits',
] as const;

const LANGUAGE: Record<Discovery['language'], string> = {
  typescript: 'TypeScript',
  javascript: 'JavaScript',
  mixed: 'TypeScript + JavaScript',
  unknown: 'unknown language',
};

const BUILDERS_LIBRARY = 'https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/';

function countBySeverity(findings: Finding[]): string {
  const parts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(
    ([, n]) => n > 0,
  );
  return parts.length ? `${findings.length} (${parts.map(([s, n]) => `${n} ${s}`).join(', ')})` : '0';
}

function header(result: ScanResult, date: string): string {
  const d = result.discovery;
  const iac = d.iac.length ? d.iac.join(' + ') : 'no IaC found';
  const cloud = d.cloud.length ? d.cloud.join(' + ') : 'no cloud provider found';
  return [
    `# Production Hardening Playbook — ${d.serviceName}`,
    '',
    `Generated: ${date}`,
    `Stack: ${LANGUAGE[d.language]} / ${iac} / ${cloud}`,
  ].join('\n');
}

export interface AuditArea {
  area: string;
  /** ❌ (critical or high findings), ⚠️ (others), ✅ (none) */
  status: '❌' | '⚠️' | '✅';
  /** e.g. "5 (3 critical, 2 high)" or "0" */
  findings: string;
}

/** The audit summary's areas in the spec's order (catalog areas outside it follow), each with its status. */
export function auditAreas(findings: Finding[], catalog: Catalog): AuditArea[] {
  const areaOf = (f: Finding) => catalog.byId.get(f.ruleId)?.area ?? 'Other';
  const extra = [...new Set(findings.map(areaOf))].filter((a) => !(AUDIT_AREAS as readonly string[]).includes(a));
  return [...AUDIT_AREAS, ...extra].map((area) => {
    const group = findings.filter((f) => areaOf(f) === area);
    const status = group.some((f) => f.severity === 'critical' || f.severity === 'high')
      ? '❌'
      : group.length
        ? '⚠️'
        : '✅';
    return { area, status, findings: countBySeverity(group) };
  });
}

function auditSummary(findings: Finding[], catalog: Catalog): string {
  const rows = auditAreas(findings, catalog).map((a) => `| ${a.area} | ${a.status} | ${a.findings} |`);
  return ['## Audit Summary', '', '| Area | Status | Findings |', '|------|--------|----------|', ...rows].join('\n');
}

function findingEntry(f: Finding, n: number, catalog: Catalog): string {
  const rule = catalog.byId.get(f.ruleId);
  const dep = f.dependency ? ` (dependency: ${f.dependency.name}, ${f.dependency.category})` : '';
  // `fixable` is settled by the fix engine before a playbook is written: true only when the fix makes the change
  const auto = f.fixable
    ? ' `harden-codemod fix --yes` makes this change (preview it with `harden-codemod --dry-run`).'
    : '';
  const fix = `${rule ? `${rule.fix} ` : ''}Here: ${f.message.replace(/\.$/, '')}${dep}.${auto}`;
  // nested items must be indented past the list marker ("10. " is four wide)
  const pad = ' '.repeat(String(n).length + 2);
  return [
    `${n}. ${rule?.title ?? f.ruleId}${f.dependency ? ` — ${f.dependency.name}` : ''}`,
    `${pad}- **File**: ${f.file}#L${f.line}`,
    `${pad}- **Anti-pattern**: ${rule ? `${rule.title} (\`${rule.id}\`)` : `\`${f.ruleId}\` (not in the catalog)`}`,
    `${pad}- **Impact**: ${rule?.impact ?? 'See the rule documentation.'}`,
    `${pad}- **Fix**: ${fix}`,
  ].join('\n');
}

function findingsSection(findings: Finding[], catalog: Catalog): string {
  const out = ['## Findings'];
  const phaseOf = (f: Finding) => catalog.byId.get(f.ruleId)?.phase ?? '9';
  let n = 0;
  for (const severity of SEVERITIES) {
    const group = findings
      .filter((f) => f.severity === severity)
      .sort(
        (a, b) =>
          phaseOf(a).localeCompare(phaseOf(b)) ||
          a.file.localeCompare(b.file) ||
          a.line - b.line ||
          a.column - b.column,
      );
    if (severity === 'low' && !group.length) continue;
    out.push('', `### ${severity.toUpperCase()}`, '');
    if (!group.length) out.push(`No ${severity} findings.`);
    else out.push(group.map((f) => findingEntry(f, ++n, catalog)).join('\n\n'));
  }
  return out.join('\n');
}

const yesNo = (b: boolean) => (b ? '✅' : '❌');

/** The protection columns of the dependency table, by the catalog area whose findings deny them. */
const PROTECTION_AREAS = { timeout: 'Timeouts', retry: 'Retries', breaker: 'Circuit breakers' } as const;

/**
 * A dependency's protection as the table shows it: what its call sites show, and never ✅ beside
 * a finding of the same area for that dependency (a client built without a timeout is reported
 * where it is built, not at each call).
 */
export function protectionOf(
  dep: Discovery['dependencies'][number],
  findings: Finding[],
  catalog: Catalog,
): Record<keyof typeof PROTECTION_AREAS, boolean> {
  const areas = new Set(
    findings.filter((f) => f.dependency?.name === dep.name).map((f) => catalog.byId.get(f.ruleId)?.area),
  );
  const out = { ...dep.protection };
  for (const [key, area] of Object.entries(PROTECTION_AREAS) as Array<[keyof typeof PROTECTION_AREAS, string]>)
    if (areas.has(area)) out[key] = false;
  return out;
}

function architecture(d: Discovery, findings: Finding[], catalog: Catalog, config: ResolvedConfig): string {
  const out = ['## Recommended Architecture', '', '### Dependencies', ''];
  if (d.dependencies.length) {
    out.push('| Dependency | Category | Client | Files | Timeout | Retry | Breaker |', '|---|---|---|---|---|---|---|');
    for (const dep of d.dependencies) {
      const files = dep.files.map((f) => `\`${cell(f)}\``).join(', ');
      const p = protectionOf(dep, findings, catalog);
      out.push(
        `| ${cell(dep.name)} | ${dep.category} | \`${dep.module}\` | ${files} | ${yesNo(p.timeout)} | ${yesNo(p.retry)} | ${yesNo(p.breaker)} |`,
      );
    }
  } else out.push('No outbound dependencies were discovered.');

  out.push('', '### Lambda handlers', '');
  if (d.lambdaHandlers.length) {
    out.push('| Handler | Function | Triggers | Declared in |', '|---|---|---|---|');
    for (const h of d.lambdaHandlers) {
      const declared = h.declaredAt
        ? `\`${cell(h.declaredAt.file)}:${h.declaredAt.line}\``
        : h.source === 'code'
          ? 'found by its signature'
          : '—';
      out.push(
        `| \`${cell(h.file)}\` → \`${h.exportName}\` | ${h.functionName ?? '—'} | ${h.triggers.join(', ') || 'unknown'} | ${declared} |`,
      );
    }
  } else out.push('No Lambda handlers were found.');

  // the names the fixed code passes to policyFor, and the composition the generated module builds
  const policies = d.dependencies.map((dep) => `\`policyFor('${policyKeyOf(dep.name)}')\` (${dep.name})`);
  const composition = generatedComposition(config);
  const existing = d.resilienceLibraries.map(
    (l) => `${l.name} (${l.files.length} file${l.files.length === 1 ? '' : 's'})`,
  );
  out.push(
    '',
    '### Resilience layer',
    '',
    'One shared module, `resilience/`, that every outbound call goes through:',
    '',
    '- `resilience/errors` — the error taxonomy. `TransientError` is retried (network timeout, 429, 502, 503, 504); `DependencyDownError` means the breaker is open; `PermanentError` fails fast (400, 404, 422, auth failure). Infrastructure failures (DNS, socket, TLS, JWKS timeout) map to 503 with Retry-After, never to 401/403.',
    `- \`resilience/policies\` — one composed cockatiel policy per dependency, built on first use by \`policyFor('<dependency>')\` and composed outer to inner as ${composition.join(' → ')} (the timeout bounds each attempt), with bounded, jittered retries (\`ExponentialBackoff\`)${policies.length ? `: ${policies.join(', ')}` : ''}.`,
    '- `resilience/logger` — one structured JSON logger (`@aws-lambda-powertools/logger`); the policies log retry, breaker state change, timeout and fallback events with the dependency name.',
    `- Resilience libraries already in use: ${existing.length ? existing.join(', ') : 'none found'}.`,
    '',
    '### Circuit-breaker state',
    '',
    d.lambdaHandlers.length
      ? "Lambda instances share no memory and every cold start resets it, so a breaker held in process rarely opens. Keep breaker state in SSM Parameter Store: a separate health-probe function, run on a schedule, writes each dependency's status; handlers read it through `@aws-lambda-powertools/parameters` (with `maxAge` caching) and hydrate their cockatiel breakers with `initialState`."
      : 'No Lambda handlers were found, so the service runs as a long-lived process: breakers can keep their state in memory, one per dependency per process, created once at start-up.',
  );
  return out.join('\n');
}

function libraries(findings: Finding[]): string {
  const libs = librariesFor(findings.map((f) => f.ruleId));
  const out = [
    '## Recommended Libraries',
    '',
    '| Library | Version | Purpose | Why | Phase |',
    '|---|---|---|---|---|',
  ];
  for (const lib of libs)
    out.push(
      `| \`${lib.npm}\` | \`${lib.version}\` | ${cell(lib.purpose)} | ${cell(whyText(lib))} | ${lib.phases.join(', ')} |`,
    );
  out.push('', 'Not recommended:', '');
  for (const r of doNotRecommend()) out.push(`- **${r.name}** — ${whyText(r)}`);
  return out.join('\n');
}

function plan(findings: Finding[], catalog: Catalog, composition: string[]): string {
  const tickets = planTickets(findings, catalog, composition);
  const out = ['## Prioritized Implementation Plan', ''];
  if (!tickets.length) return [...out, 'No tickets: the scan found nothing to fix.'].join('\n');
  out.push('| # | Ticket | Priority | Effort | Depends On |', '|---|--------|----------|--------|------------|');
  for (const t of tickets) {
    const deps = t.dependsOn.length ? t.dependsOn.map((n) => `#${n}`).join(', ') : '—';
    out.push(`| ${t.number} | ${cell(`${t.phase} · ${t.title}`)} | ${t.priority} | ${t.effort} | ${deps} |`);
  }
  return out.join('\n');
}

function references(findings: Finding[], catalog: Catalog): string {
  const out = ['## References', ''];
  const seen = new Set<string>();
  const add = (label: string, url: string) => {
    if (seen.has(url)) return;
    seen.add(url);
    out.push(`- ${label}: <${url}>`);
  };
  const ruleIds = new Set(findings.map((f) => f.ruleId));
  for (const rule of catalog.rules) if (ruleIds.has(rule.id)) for (const url of rule.references) add(rule.title, url);
  for (const lib of librariesFor(ruleIds)) add(lib.npm, lib.homepage);
  add("Timeouts, retries and backoff with jitter (Amazon Builders' Library)", BUILDERS_LIBRARY);
  out.push(
    '- The rule catalog: `config/anti-patterns.yaml`; the library list: `config/libraries.yaml` (harden-codemod).',
  );
  return out.join('\n');
}

export type PlaybookSection =
  'header' | 'audit-summary' | 'findings' | 'architecture' | 'libraries' | 'plan' | 'references';

export function playbookSections(
  result: ScanResult,
  date: string,
  config: ResolvedConfig = defaultConfig(),
): Section[] {
  const catalog = loadCatalog();
  const findings = result.findings;
  const sections: Array<[PlaybookSection, string]> = [
    ['header', header(result, date)],
    ['audit-summary', auditSummary(findings, catalog)],
    ['findings', findingsSection(findings, catalog)],
    ['architecture', architecture(result.discovery, findings, catalog, config)],
    ['libraries', libraries(findings)],
    ['plan', plan(findings, catalog, generatedComposition(config))],
    ['references', references(findings, catalog)],
  ];
  return sections.map(([name, body]) => ({ name, body }));
}

/**
 * The hardening playbook (seed 000, phase 3). Every generated section sits between
 * `<!-- harden-codemod:begin|end <section> -->` markers; given the previous file, only those
 * sections are replaced and the user's own text stays where it was. A finding is said to be
 * fixed by `harden-codemod fix` only when its `fixable` flag is true: settle the flags with
 * the fix engine first (src/engine/fixability.ts), as the playbook command does.
 */
export function playbook(
  result: ScanResult,
  options: { date: string; existing?: string; config?: ResolvedConfig },
): string {
  const sections = playbookSections(result, options.date, options.config);
  return options.existing === undefined ? joinSections(sections) : mergeSections(options.existing, sections);
}
