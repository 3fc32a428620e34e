import { loadCatalog, type Catalog } from '../catalog/catalog';
import type { Discovery } from '../discovery/discovery-types';
import { SEVERITIES, type FileNote, type Finding, type ScanResult, type Severity } from '../types';
import { colors } from './colors';
import path from 'node:path';
import { summarize } from './summary';

type Colors = ReturnType<typeof colors>;

function severityLabel(c: Colors, s: Severity): string {
  const label = s.padEnd(8);
  if (s === 'critical') return c.bold(c.red(label));
  if (s === 'high') return c.red(label);
  if (s === 'medium') return c.yellow(label);
  return c.dim(label);
}

export function discoveryLines(d: Discovery, c: Colors): string[] {
  const lines = [c.bold(`Service: ${d.serviceName}`)];
  const stack = [
    d.language,
    d.moduleSystem !== 'unknown' ? d.moduleSystem : null,
    d.iac.join('+') || 'no IaC',
    d.cloud.join('+') || null,
  ].filter(Boolean);
  lines.push(`Stack: ${stack.join(' / ')}${d.frameworks.length ? ` · frameworks: ${d.frameworks.join(', ')}` : ''}`);
  if (d.lambdaHandlers.length)
    lines.push(
      `Lambda handlers: ${d.lambdaHandlers.length} (${[...new Set(d.lambdaHandlers.flatMap((h) => h.triggers))].join(', ')})`,
    );
  if (d.dependencies.length) {
    lines.push(`Dependencies: ${d.dependencies.map((dep) => `${dep.name} [${dep.category}]`).join(', ')}`);
  }
  lines.push(
    `Resilience libraries: ${d.resilienceLibraries.length ? d.resilienceLibraries.map((l) => l.name).join(', ') : 'none'}`,
  );
  return lines;
}

/** Monorepo runs: one summary row per workspace package. */
function packageTable(findings: Finding[], c: Colors): string[] {
  const packages = [...new Set(findings.map((f) => f.package).filter((p): p is string => Boolean(p)))].sort();
  if (packages.length < 2) return [];
  const width = Math.max(7, ...packages.map((p) => p.length));
  const lines = [c.bold(`${'package'.padEnd(width)}  critical  high  medium  low`)];
  for (const pkg of packages) {
    const own = findings.filter((f) => f.package === pkg);
    const n = (sev: Severity): string => String(own.filter((f) => f.severity === sev).length);
    lines.push(
      `${pkg.padEnd(width)}  ${n('critical').padStart(8)}  ${n('high').padStart(4)}  ${n('medium').padStart(6)}  ${n('low').padStart(3)}`,
    );
  }
  return [...lines, ''];
}

/** One line of the report: the findings of one place (a call without timeout, retry and breaker is one row). */
export interface ReportRow {
  file: string;
  line: number;
  column: number;
  severity: Severity;
  message: string;
  ruleIds: string[];
  findings: Finding[];
}

/**
 * "x() to the API has no timeout" + "x() to the API has no circuit breaker" →
 * "x() to the API has no timeout and circuit breaker": the shared words once, then what differs.
 */
export function mergeMessages(messages: string[]): string {
  const texts = [...new Set(messages.map((m) => m.replace(/\.$/, '')))];
  if (texts.length === 1) return `${texts[0]}.`;
  const words = texts.map((t) => t.split(' '));
  let shared = 0;
  while (words.every((w) => shared < w.length - 1 && w[shared] === words[0]![shared])) shared++;
  const rests = words.map((w) => w.slice(shared).join(' '));
  // a rest that carries its own explanation ("…: failed messages pile up") does not read as a list
  if (shared < 2 || rests.some((r) => r.includes(': '))) return `${texts.join('; ')}.`;
  const list =
    rests.length === 2 ? rests.join(' and ') : `${rests.slice(0, -1).join(', ')} and ${rests[rests.length - 1]}`;
  return `${words[0]!.slice(0, shared).join(' ')} ${list}.`;
}

/** Findings grouped by file (files in order of their worst severity), one row per position. */
export function reportRows(findings: Finding[]): ReportRow[] {
  const rows = new Map<string, ReportRow>();
  for (const f of findings) {
    const key = `${f.file}\0${f.line}\0${f.column}`;
    const row = rows.get(key);
    if (row) {
      row.findings.push(f);
      continue;
    }
    rows.set(key, {
      file: f.file,
      line: f.line,
      column: f.column,
      severity: f.severity,
      message: '',
      ruleIds: [],
      findings: [f],
    });
  }
  const rank = (s: Severity): number => SEVERITIES.indexOf(s);
  const order = new Map(loadCatalog().rules.map((r, i) => [r.id, i]));
  for (const row of rows.values()) {
    row.findings.sort(
      (a, b) => rank(a.severity) - rank(b.severity) || (order.get(a.ruleId) ?? 0) - (order.get(b.ruleId) ?? 0),
    );
    row.severity = row.findings[0]!.severity;
    row.ruleIds = row.findings.map((f) => f.ruleId);
    row.message = mergeMessages(row.findings.map((f) => f.message));
  }
  return [...rows.values()].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

function noteLine(n: FileNote): string {
  return `  ${n.file}${n.line ? `:${n.line}${n.column ? `:${n.column}` : ''}` : ''}  ${n.message}`;
}

/**
 * Code and IaC files the scan could not check: read failures and parse errors it could not
 * recover from (a malformed package.json is a warning: it is read for facts, not checked).
 */
export function uncheckedFiles(result: Pick<ScanResult, 'notes'>): FileNote[] {
  return result.notes.filter(
    (n) =>
      !/(^|\/)package\.json$/.test(n.file) &&
      (n.kind === 'unreadable' || (n.kind === 'parse-error' && !n.message.startsWith('recovered from:'))),
  );
}

export interface TextReportOptions {
  cwd?: string;
  stream?: NodeJS.WriteStream;
  /** no discovery lines, no warning details: findings and the summary */
  quiet?: boolean;
  /** each rule's impact and fix under its row */
  verbose?: boolean;
  /** findings below the --severity threshold, left out of the report; counted in the summary */
  hidden?: number;
  /** the --severity threshold, named beside the hidden count */
  threshold?: Severity;
  /** a --dry-run: how many of the findings the diff that follows fixes */
  fixedBelow?: number;
}

/**
 * Human output, ESLint-stylish: each file then its findings as `line:col  severity  message  rule-id`.
 * Every path is relative to the scan root, as in the diffs, the JSON and SARIF; the summary names
 * the root when it is not the current directory; one row per place, so a call
 * with no timeout, retry and breaker is one line naming the three rules. Impact and fix texts
 * with --verbose (always in the playbook and in SARIF `help`). Read and parse failures are
 * always counted in the summary, also with --quiet.
 */
export function textReport(result: ScanResult, options: TextReportOptions = {}): string {
  const c = colors(options.stream);
  const catalog = loadCatalog();
  const out: string[] = [];
  if (!options.quiet) out.push(...discoveryLines(result.discovery, c), '');
  const rows = reportRows(result.findings);
  const position = (r: ReportRow): string => `${r.line}:${r.column}`;
  for (const file of [...new Set(rows.map((r) => r.file))]) {
    const own = rows.filter((r) => r.file === file);
    const width = Math.max(...own.map((r) => position(r).length));
    if (out.length && out[out.length - 1] !== '') out.push('');
    out.push(c.underline(file));
    for (const row of own) {
      out.push(
        `  ${c.dim(position(row).padEnd(width))}  ${severityLabel(c, row.severity)}  ${row.message}  ${c.dim(row.ruleIds.join(', '))}`,
      );
      if (options.verbose) out.push(...verboseLines(row, catalog, c));
    }
  }
  if (rows.length) out.push('');
  const unchecked = uncheckedFiles(result);
  const otherNotes = result.notes.filter((n) => n.kind !== 'skipped' && !unchecked.includes(n));
  if (!options.quiet) {
    if (unchecked.length)
      out.push(c.yellow(`Not checked (${unchecked.length})`), ...unchecked.map((n) => noteLine(n)), '');
    if (otherNotes.length)
      out.push(c.yellow(`Warnings (${otherNotes.length})`), ...otherNotes.map((n) => noteLine(n)), '');
    const skipped = result.notes.filter((n) => n.kind === 'skipped');
    if (skipped.length)
      out.push(
        c.dim(
          `Skipped ${skipped.length} file(s): ${skipped
            .slice(0, 5)
            .map((n) => `${n.file} (${n.message})`)
            .join('; ')}${skipped.length > 5 ? '; …' : ''}`,
        ),
        '',
      );
  } else if (unchecked.length) {
    out.push(...unchecked.map((n) => noteLine(n)), '');
  }
  out.push(...packageTable(result.findings, c));
  out.push(summaryLine(result, c, options));
  const base = path.relative(options.cwd ?? process.cwd(), result.root);
  if (base) out[out.length - 1] += ` under ${base.startsWith('..') ? result.root : base}/`;
  return `${out.join('\n')}\n`;
}

function verboseLines(row: ReportRow, catalog: Catalog, c: Colors): string[] {
  const out: string[] = [];
  for (const id of row.ruleIds) {
    const rule = catalog.byId.get(id);
    if (!rule) continue;
    const label = row.ruleIds.length > 1 ? `${id}: ` : '';
    out.push(c.dim(`    ${label}impact: ${rule.impact}`), c.dim(`    ${label}fix: ${rule.fix}`));
  }
  return out;
}

/** `✖ 41 findings (11 critical, …) in 11 files, 3 suppressed, 1 file not checked` */
export function summaryLine(
  result: ScanResult,
  c: Colors,
  options: Pick<TextReportOptions, 'hidden' | 'threshold' | 'fixedBelow'> = {},
): string {
  const s = summarize(result);
  const counts = SEVERITIES.map((sev) => `${s.bySeverity[sev]} ${sev}`).join(', ');
  const unchecked = uncheckedFiles(result).length;
  const clean = s.total === 0 && unchecked === 0;
  const mark = clean ? c.green('✔') : s.total === 0 ? c.yellow('⚠') : c.red('✖');
  const extras = [
    options.fixedBelow !== undefined ? `${options.fixedBelow} fixed by the changes below` : '',
    options.hidden
      ? `${options.hidden} below --severity ${options.threshold ?? ''} not shown`.replace(/ +not/, ' not')
      : '',
    s.suppressed ? `${s.suppressed} suppressed` : '',
    unchecked ? `${unchecked} file${unchecked === 1 ? '' : 's'} not checked (could not be read or parsed)` : '',
  ].filter(Boolean);
  return `${mark} ${s.total} finding${s.total === 1 ? '' : 's'} (${counts}) in ${s.filesScanned} file${s.filesScanned === 1 ? '' : 's'}${extras.length ? `, ${extras.join(', ')}` : ''}`;
}
