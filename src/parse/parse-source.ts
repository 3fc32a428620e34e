import { parse } from '@babel/parser';
import type { File } from '@babel/types';
import { babelOptions, pluginsFor, type SourceLanguage } from './parse-options';

export interface ParseError {
  message: string;
  line: number;
  column: number;
}

export type ParseOutcome = { ok: true; ast: File; recovered: ParseError[] } | { ok: false; error: ParseError };

function toParseError(err: unknown): ParseError {
  const e = err as { message?: string; loc?: { line: number; column: number } };
  const message = String(e.message ?? err).replace(/\s*\(\d+:\d+\)$/, '');
  return { message, line: e.loc?.line ?? 1, column: (e.loc?.column ?? 0) + 1 };
}

/**
 * The one fast parse per file used for detection (no tokens). Most files are valid and not
 * Flow: they are parsed without the Flow plugin and without error recovery, which together cost
 * about a third of the parse time. A file that fails is parsed again with both, so that it is
 * still scanned (recovered) or its first error is reported; plain JavaScript that fails under
 * Flow is then retried as TypeScript, since many .js files hold syntax only one of them accepts.
 */
export function parseSource(text: string, lang: SourceLanguage): ParseOutcome {
  try {
    const fast = babelOptions(lang, { errorRecovery: false, plugins: pluginsFor(lang).filter((p) => p !== 'flow') });
    return { ok: true, ast: parse(text, fast) as unknown as File, recovered: [] };
  } catch {
    /* the careful parse below */
  }
  try {
    const ast = parse(text, babelOptions(lang)) as unknown as File & { errors?: unknown[] };
    return { ok: true, ast, recovered: (ast.errors ?? []).map(toParseError) };
  } catch (err) {
    if (lang === 'js') {
      try {
        const ast = parse(text, babelOptions('tsx')) as unknown as File & { errors?: unknown[] };
        return { ok: true, ast, recovered: (ast.errors ?? []).map(toParseError) };
      } catch {
        /* report the first error */
      }
    }
    return { ok: false, error: toParseError(err) };
  }
}
