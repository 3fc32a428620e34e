/** Prompts need a person at a terminal: both stdin and stdout a TTY, and not a CI run. */
export function canPrompt(
  env: NodeJS.ProcessEnv = process.env,
  stdin: { isTTY?: boolean } = process.stdin,
  stdout: { isTTY?: boolean } = process.stdout,
): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return Boolean(stdin.isTTY) && Boolean(stdout.isTTY) && !ci;
}

/** What @inquirer throws when the user presses Ctrl-C (or closes the terminal) at a prompt. */
export function isPromptExit(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}
