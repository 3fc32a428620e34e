import { parse } from '@babel/parser';
import type { File } from '@babel/types';
import { babelOptions, type SourceLanguage } from './parse-options';

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
 * The one fast parse per file used for detection (no tokens, error recovery on).
 * Plain JavaScript that fails under Flow is retried as TypeScript, since many .js files in
 * the wild hold syntax only one of the two accepts.
 */
export function parseSource(text: string, lang: SourceLanguage): ParseOutcome {
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
