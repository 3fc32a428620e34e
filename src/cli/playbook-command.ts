import path from 'node:path';
import { scanSelection } from '../session/open-session';
import type { SelectionOptions } from '../session/selection';
import { writePlaybook } from '../session/write-playbook';

/** `harden-codemod playbook`: Analyze mode, the spec's playbook and no code change. */
export async function playbookCommand(paths: string[], options: SelectionOptions & { out?: string }): Promise<number> {
  const { session, result } = await scanSelection(paths, options);
  const file = await writePlaybook(result, session, { out: options.out });
  process.stdout.write(
    `Playbook written: ${path.relative(process.cwd(), file) || file} (${result.findings.length} findings)\n`,
  );
  return 0;
}
