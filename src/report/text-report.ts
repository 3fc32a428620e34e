import path from 'node:path';
import type { Discovery } from '../discovery/discovery-types';
import { SEVERITIES, type ScanResult, type Severity } from '../types';
import { colors } from './colors';
import { summarize } from './summary';
import { loadCatalog } from '../catalog/catalog';
import { fullMessage } from '../scan/finalize-findings';

type Colors = ReturnType<typeof colors>;

function severityLabel(c: Colors, s: Severity): string {
  const label = s.toUpperCase();
  if (s === 'critical') return c.bold(c.red(label));
  if (s === 'high') return c.red(label);
  if (s === 'medium') return c.yellow(label);
  return c.dim(label);
}

export function discoveryLines(d: Discovery, c: Colors): string[] {
  const lines = [c.bold(`Service: ${d.serviceName}`)];
  const stack = [d.language, d.moduleSystem !== 'unknown' ? d.moduleSystem : null, d.iac.join('+') || 'no IaC', d.cloud.join('+') || null].filter(Boolean);
  lines.push(`Stack: ${stack.join(' / ')}${d.frameworks.length ? ` · frameworks: ${d.frameworks.join(', ')}` : ''}`);
  if (d.lambdaHandlers.length) lines.push(`Lambda handlers: ${d.lambdaHandlers.length} (${[...new Set(d.lambdaHandlers.flatMap((h) => h.triggers))].join(', ')})`);
  if (d.dependencies.length) {
    lines.push(`Dependencies: ${d.dependencies.map((dep) => `${dep.name} [${dep.category}]`).join(', ')}`);
  }
  lines.push(`Resilience libraries: ${d.resilienceLibraries.length ? d.resilienceLibraries.map((l) => l.name).join(', ') : 'none'}`);
  return lines;
}

/** Monorepo runs: one summary row per workspace package. */
function packageTable(result: ScanResult, c: Colors): string[] {
  const packages = [...new Set(result.findings.map((f) => f.package).filter((p): p is string => Boolean(p)))].sort();
  if (packages.length < 2) return [];
  const width = Math.max(7, ...packages.map((p) => p.length));
  const lines = [c.bold(`${'package'.padEnd(width)}  critical  high  medium  low`)];
  for (const pkg of packages) {
    const own = result.findings.filter((f) => f.package === pkg);
    const n = (sev: Severity): string => String(own.filter((f) => f.severity === sev).length);
    lines.push(`${pkg.padEnd(width)}  ${n('critical').padStart(8)}  ${n('high').padStart(4)}  ${n('medium').padStart(6)}  ${n('low').padStart(3)}`);
  }
  return [...lines, ''];
}

/**
 * Human output: discovery, then findings grouped by severity as `file:line:col` (clickable in
 * terminals and editors, relative to the current directory), rule id and message, then a summary.
 */
export function textReport(result: ScanResult, options: { cwd?: string; stream?: NodeJS.WriteStream; quiet?: boolean } = {}): string {
  const c = colors(options.stream);
  const catalog = loadCatalog();
  const cwd = options.cwd ?? process.cwd();
  const out: string[] = [];
  if (!options.quiet) out.push(...discoveryLines(result.discovery, c), '');
  const shown = (file: string): string => path.relative(cwd, path.join(result.root, file)).split(path.sep).join('/') || file;
  for (const severity of SEVERITIES) {
    const group = result.findings.filter((f) => f.severity === severity);
    if (!group.length) continue;
    out.push(`${severityLabel(c, severity)} ${c.dim(`(${group.length})`)}`);
    for (const f of group) {
      const where = shown(f.file);
      out.push(`  ${c.cyan(`${where}:${f.line}:${f.column}`)}  ${c.bold(f.ruleId)}  ${fullMessage(f, catalog)}${f.fixable ? c.green(' [fixable]') : ''}`);
    }
    out.push('');
  }
  const problems = result.notes.filter((n) => n.kind !== 'skipped');
  if (problems.length && !options.quiet) {
    out.push(c.yellow(`Warnings (${problems.length})`));
    for (const n of problems) out.push(`  ${shown(n.file)}${n.line ? `:${n.line}${n.column ? `:${n.column}` : ''}` : ''}  ${n.message}`);
    out.push('');
  }
  const skipped = result.notes.filter((n) => n.kind === 'skipped');
  if (skipped.length && !options.quiet) {
    out.push(c.dim(`Skipped ${skipped.length} file(s): ${skipped.slice(0, 5).map((n) => `${shown(n.file)} (${n.message})`).join('; ')}${skipped.length > 5 ? '; …' : ''}`), '');
  }
  out.push(...packageTable(result, c));
  const s = summarize(result);
  const counts = SEVERITIES.map((sev) => `${s.bySeverity[sev]} ${sev}`).join(', ');
  const fixable = result.findings.filter((f) => f.fixable).length;
  out.push(
    `${s.total === 0 ? c.green('✔') : c.red('✖')} ${s.total} finding${s.total === 1 ? '' : 's'} (${counts}) in ${s.filesScanned} file${s.filesScanned === 1 ? '' : 's'}` +
      `${fixable ? `, ${fixable} fixable` : ''}${s.suppressed ? `, ${s.suppressed} suppressed` : ''}`,
  );
  return `${out.join('\n')}\n`;
}
