import { spawnSync } from 'node:child_process';

/**
 * Runs the install commands; a command that cannot start or fails is an error message naming it
 * (the fixes stay written). Returns whether every command succeeded.
 */
export function installDependencies(commands: string[], cwd: string): boolean {
  for (const cmd of commands) {
    process.stdout.write(`$ ${cmd}\n`);
    const run = spawnSync(cmd, { stdio: 'inherit', cwd, shell: true });
    if (run.error || run.status !== 0) {
      const why = run.error ? run.error.message : run.signal ? `stopped by ${run.signal}` : `exit code ${run.status}`;
      process.stderr.write(
        `harden-codemod: \`${cmd}\` failed (${why}): the fixes are written; install the added dependencies yourself\n`,
      );
      return false;
    }
  }
  return true;
}
