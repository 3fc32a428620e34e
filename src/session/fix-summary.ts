import type { ComputedChanges } from '../engine/compute-changes';
import { deploySummaryLines } from '../engine/deploy-summary';
import type { Finding, ScanResult } from '../types';
import { colors } from '../report/colors';

/**
 * What a fix run does with the findings: how many it fixes per rule, the ones it attempted and
 * leaves (with the reason), and how many have no automatic fix at all. `chosen` narrows the
 * run (--dependency); paths are shown as in the findings and the diffs.
 */
export function fixSummary(
  result: ScanResult,
  computed: ComputedChanges,
  applied: boolean,
  chosen: (f: Finding) => boolean = () => true,
): string {
  const c = colors();
  const modified = computed.changes.filter((ch) => ch.kind === 'modify').length;
  const created = computed.changes.filter((ch) => ch.kind === 'create').length;
  const perRule = new Map<string, number>();
  for (const f of computed.fixed) perRule.set(f.ruleId, (perRule.get(f.ruleId) ?? 0) + 1);
  const lines = [
    c.bold(applied ? 'Applied' : 'Would apply (dry run, nothing written)'),
    `  files changed: ${modified}, files created: ${created}`,
  ];
  if (perRule.size)
    lines.push(`  findings fixed (${computed.fixed.length}): ${[...perRule].map(([r, n]) => `${r} ${n}`).join(', ')}`);
  const attempted = new Set<Finding>([...computed.fixed, ...computed.left.map((l) => l.finding)]);
  const manual = result.findings.filter((f) => !attempted.has(f) && chosen(f)).length;
  if (computed.left.length) {
    lines.push(c.yellow(`  findings left (${computed.left.length}):`));
    for (const { finding, reason } of computed.left.slice(0, 30))
      lines.push(`    ${finding.file}:${finding.line}  ${finding.ruleId}: ${reason}`);
    if (computed.left.length > 30) lines.push(`    … and ${computed.left.length - 30} more`);
  }
  if (computed.fixNotes.length) {
    lines.push('  choices made (per call):');
    for (const n of computed.fixNotes.slice(0, 30)) lines.push(`    ${n.file}:${n.line}  ${n.text}`);
    if (computed.fixNotes.length > 30) lines.push(`    … and ${computed.fixNotes.length - 30} more`);
  }
  if (manual) lines.push(`  ${manual} finding(s) have no automatic fix (see the playbook for guidance)`);
  for (const note of computed.notes) lines.push(`  note: ${note}`);
  if (computed.installCommands.length === 1)
    lines.push(`  then install the added dependencies: ${computed.installCommands[0]}`);
  else if (computed.installCommands.length)
    lines.push('  then install the added dependencies:', ...computed.installCommands.map((cmd) => `    ${cmd}`));
  lines.push(...deploySummaryLines(computed));
  return `${lines.join('\n')}\n`;
}
