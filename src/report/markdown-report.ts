import { loadCatalog } from '../catalog/catalog';
import { SEVERITIES, type ScanResult } from '../types';
import { summarize } from './summary';

/** Text safe inside a Markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The findings as Markdown (`scan --format markdown`), e.g. for a pull-request comment. */
export function markdownReport(result: ScanResult): string {
  const catalog = loadCatalog();
  const summary = summarize(result);
  const d = result.discovery;
  const out: string[] = [`# harden-codemod findings — ${d.serviceName}`, ''];
  const counts = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map((s) => `${summary.bySeverity[s]} ${s}`);
  out.push(
    summary.total
      ? `**${summary.total} finding${summary.total === 1 ? '' : 's'}** (${counts.join(', ')}) in ${summary.filesScanned} files scanned.`
      : `No findings in ${summary.filesScanned} files scanned.`,
  );
  if (summary.suppressed) out.push('', `${summary.suppressed} suppressed by inline comments or configuration.`);

  for (const severity of SEVERITIES) {
    const group = result.findings.filter((f) => f.severity === severity);
    if (!group.length) continue;
    out.push(
      '',
      `## ${capitalize(severity)} (${group.length})`,
      '',
      '| Location | Rule | Message | Fixable |',
      '|---|---|---|---|',
    );
    for (const f of group) {
      const title = catalog.byId.get(f.ruleId)?.title;
      const rule = title ? `${cell(title)} (\`${f.ruleId}\`)` : `\`${f.ruleId}\``;
      out.push(
        `| \`${cell(f.file)}:${f.line}:${f.column}\` | ${rule} | ${cell(f.message)} | ${f.fixable ? 'yes' : 'no'} |`,
      );
    }
  }

  const problems = result.notes.filter((n) => n.kind !== 'skipped');
  if (problems.length) {
    out.push('', `## Files not analysed (${problems.length})`, '');
    for (const n of problems)
      out.push(`- \`${n.file}${n.line ? `:${n.line}` : ''}\` — ${n.kind}: ${n.message.replace(/\r?\n/g, ' ')}`);
  }
  return `${out.join('\n')}\n`;
}
