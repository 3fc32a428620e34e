import { parse } from '@babel/parser';
import type { Parser } from 'jscodeshift';
import { babelOptions, languageOf, type SourceLanguage } from '../../src/parse/parse-options';

/**
 * The parser recast/jscodeshift uses for a file, chosen by its extension: the same plugins
 * as detection, plus tokens (recast needs them to reprint only what changed). No error
 * recovery: a file that does not parse cleanly is never rewritten.
 */
export function recastParserFor(file: string): Parser {
  const lang: SourceLanguage = languageOf(file) ?? 'tsx';
  return {
    parse(source: string) {
      return parse(source, babelOptions(lang, { tokens: true, errorRecovery: false })) as unknown as ReturnType<
        Parser['parse']
      >;
    },
  };
}
