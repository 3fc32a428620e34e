import type { ParserOptions, ParserPlugin } from '@babel/parser';

export type SourceLanguage = 'ts' | 'tsx' | 'js';

export function languageOf(file: string): SourceLanguage | null {
  if (/\.(d\.ts|d\.mts|d\.cts)$/.test(file)) return null;
  if (/\.(ts|mts|cts)$/.test(file)) return 'ts';
  if (/\.tsx$/.test(file)) return 'tsx';
  if (/\.(js|mjs|cjs|jsx)$/.test(file)) return 'js';
  return null;
}

const COMMON: ParserPlugin[] = [
  'decorators-legacy',
  'classProperties',
  'classPrivateProperties',
  'classPrivateMethods',
  'explicitResourceManagement',
  'importAttributes',
  'topLevelAwait',
];

/**
 * The parser plugins for a file, chosen by extension: TypeScript for .ts (no JSX, so `<T>x`
 * casts parse), TypeScript + JSX for .tsx, JSX + Flow for JavaScript.
 */
export function pluginsFor(lang: SourceLanguage): ParserPlugin[] {
  if (lang === 'ts') return [...COMMON, 'typescript'];
  if (lang === 'tsx') return [...COMMON, 'typescript', 'jsx'];
  return [...COMMON, 'jsx', 'flow'];
}

export function babelOptions(lang: SourceLanguage, extra: Partial<ParserOptions> = {}): ParserOptions {
  return {
    sourceType: 'unambiguous',
    allowReturnOutsideFunction: true,
    allowImportExportEverywhere: true,
    allowAwaitOutsideFunction: true,
    allowNewTargetOutsideFunction: true,
    allowSuperOutsideMethod: true,
    allowUndeclaredExports: true,
    errorRecovery: true,
    plugins: pluginsFor(lang),
    ...extra,
  };
}
