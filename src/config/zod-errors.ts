import type { ZodError } from 'zod';

/** A zod validation error as lines naming the file and each bad key. */
export function formatZodError(file: string, error: ZodError): string {
  const lines = error.issues.map((issue) => {
    const key = issue.path.length ? issue.path.join('.') : '(root)';
    return `  ${key}: ${issue.message}`;
  });
  return `${file}: invalid configuration\n${lines.join('\n')}`;
}
