import { createTwoFilesPatch, diffLines } from 'diff';
import type { FileChange } from '../types';
import { colors } from './colors';

/** A unified diff of every change (created files against /dev/null), coloured on a TTY. */
export function diffReport(changes: FileChange[], stream: NodeJS.WriteStream = process.stdout): string {
  const c = colors(stream);
  const parts: string[] = [];
  for (const change of changes) {
    const from = change.kind === 'create' ? '/dev/null' : `a/${change.file}`;
    const patch = createTwoFilesPatch(from, `b/${change.file}`, change.before, change.after, '', '', { context: 3 });
    const body = patch.split('\n').slice(1); // drop the "Index:"/separator line
    parts.push(
      body
        .map((line) => {
          if (line.startsWith('+++') || line.startsWith('---')) return c.bold(line);
          if (line.startsWith('+')) return c.green(line);
          if (line.startsWith('-')) return c.red(line);
          if (line.startsWith('@@')) return c.cyan(line);
          return line;
        })
        .join('\n')
        .replace(/^=+\n/, ''),
    );
  }
  return parts.join('\n');
}

/** `file | +a -b` lines, like git's diff stat. */
export function diffStat(changes: FileChange[]): string {
  const lines = changes.map((change) => {
    let added = 0;
    let removed = 0;
    for (const part of diffLines(change.before, change.after)) {
      if (part.added) added += part.count ?? 0;
      if (part.removed) removed += part.count ?? 0;
    }
    return ` ${change.kind === 'create' ? 'create ' : ''}${change.file} | +${added} -${removed}`;
  });
  return lines.join('\n');
}
