import fs from 'node:fs';
import path from 'node:path';
import type { API, Collection, FileInfo, JSCodeshift, Options } from 'jscodeshift';
import { defaultConfig, type ResolvedConfig } from '../../src/config/config-schema';
import type { Finding } from '../../src/types';
import type { FactSource, FixContext, FixStep, RunView, ServiceState } from '../../src/api/fix-context';
import { generatedModulePath, importSpecifier, moduleFormatOf, packageRootOf, sourceRootOf } from './generated-modules';
import { moduleStyleOf, programOf } from './imports';
import { moduleSource } from './module-sources';
import { recastParserFor } from './recast-parser';
import { serviceNameOf } from './service-name';
import { detectPolicyFacts, factSource } from './finding-facts';

/** True when the step should fix the node starting at `line` (always true standalone). */
export function isSelected(ctx: FixContext, node: { loc?: { start: { line: number } } | null }): boolean {
  if (!ctx.findings) return true;
  const line = node.loc?.start.line;
  return line !== undefined && selectedLines(ctx.findings).has(line);
}

const linesCache = new WeakMap<readonly Finding[], Set<number>>();

/** The lines a step's findings select, once per findings list: steps ask for every candidate node. */
function selectedLines(findings: readonly Finding[]): Set<number> {
  let lines = linesCache.get(findings);
  if (!lines) {
    lines = new Set();
    for (const f of findings) {
      lines.add(f.line);
      // a finding may stand for several call sites of one dependency in a function (`data.lines`)
      if (Array.isArray(f.data?.lines)) for (const l of f.data.lines) if (typeof l === 'number') lines.add(l);
    }
    linesCache.set(findings, lines);
  }
  return lines;
}

const extensionCache = new WeakMap<object, boolean>();

/** Whether relative imports of this file carry an extension (ESM), so generated imports match; once per AST. */
function usesExtensions(root: Collection, j: JSCodeshift): boolean {
  const program = programOf(j, root);
  const known = extensionCache.get(program);
  if (known !== undefined) return known;
  const withExt = importsWithExtension(root, j);
  extensionCache.set(program, withExt);
  return withExt;
}

function importsWithExtension(root: Collection, j: JSCodeshift): boolean {
  let withExt = false;
  root.find(j.ImportDeclaration).forEach((p) => {
    const src = String(p.node.source.value);
    if (src.startsWith('.') && /\.(js|mjs|cjs)$/.test(src)) withExt = true;
  });
  return withExt;
}

export function createFixContext(
  j: JSCodeshift,
  root: Collection,
  file: string,
  config: ResolvedConfig,
  state: ServiceState,
  findings?: Finding[],
  extras: { facts?: FactSource; run?: RunView } = {},
): FixContext {
  // without the engine's facts, the detectors run on the file as it is now, before this step changes it
  const original = extras.facts ? '' : root.toSource();
  const { facts = factSource(findings ?? [], () => detectPolicyFacts(file, original)), run } = extras;
  const sourceRoot = state.placement?.sourceRoot ?? sourceRootOf(packageRootOf(path.dirname(file)), config.sourceRoot);
  return {
    j,
    root,
    file,
    config,
    findings,
    facts,
    useModule(kind) {
      // the generated file follows the importing file's module system: `.mjs` beside `.mjs`, ESM in a "type": "module" package
      const format = moduleFormatOf(file, moduleStyleOf(j, root, file), usesExtensions(root, j));
      const moduleFile = generatedModulePath(kind, sourceRoot, format.extension);
      if (!state.modules.has(moduleFile)) {
        const serviceName = serviceNameOf(packageRootOf(path.dirname(file)));
        state.modules.set(moduleFile, {
          kind,
          file: moduleFile,
          content: moduleSource(kind, { typescript: format.typescript, esm: format.esm, config, serviceName }),
        });
      }
      state.needs?.push({ kind: 'generated-module', module: kind, file: moduleFile });
      return importSpecifier(file, moduleFile, format.specifierExtension);
    },
    addDependency(name, range) {
      state.dependencies.set(name, range);
      state.needs?.push({ kind: 'dependency', name, range });
    },
    needInfra(need) {
      // standalone (no engine) there is no IaC to complete: the transform's own output is all there is
      state.needs?.push({ kind: 'infra', infra: need });
    },
    skip(line, reason) {
      state.skipped.push({ line, reason });
    },
    willFix(ref) {
      return run?.willFix(ref) ?? false;
    },
    dependsOn(ref, line) {
      (state.requires ??= []).push({ ...ref, by: line });
    },
    note(line, text) {
      (state.notes ??= []).push({ line, text });
    },
  };
}

/**
 * Makes a fix step a standard jscodeshift transform, so that
 * `npx jscodeshift -t transforms/<name>.ts <files>` works without the engine. Standalone, the
 * generated modules it needs are created next to the package's sources if missing (never overwritten).
 */
export function toJscodeshiftTransform(step: FixStep) {
  const transform = (fileInfo: FileInfo, api: API, options: Options): string | undefined => {
    const j = api.jscodeshift.withParser(recastParserFor(fileInfo.path));
    const root = j(fileInfo.source);
    const state: ServiceState = { modules: new Map(), dependencies: new Map(), skipped: [] };
    const file = path.resolve(fileInfo.path);
    // standalone, the detectors' facts come from running them on the file once
    const facts = factSource([], () => detectPolicyFacts(file, fileInfo.source));
    const ctx = createFixContext(j, root, file, defaultConfig(), state, undefined, { facts });
    if (!step(ctx)) return undefined;
    if (!options.dry) {
      for (const m of state.modules.values()) {
        if (!fs.existsSync(m.file)) {
          fs.mkdirSync(path.dirname(m.file), { recursive: true });
          fs.writeFileSync(m.file, m.content);
        }
      }
    }
    return printRoot(root, fileInfo.source);
  };
  return transform;
}

/** Print options fitted to the file's own style (quotes, arrow parens, line ending), so new code matches old. */
export function printOptionsFor(source: string): {
  quote: 'single' | 'double';
  lineTerminator: string;
  reuseWhitespace: boolean;
  arrowParensAlways: boolean;
} {
  const single = (source.match(/'/g) ?? []).length;
  const double = (source.match(/"/g) ?? []).length;
  const bare = (source.match(/(^|[(,=:\s])[A-Za-z_$][\w$]*\s*=>/g) ?? []).length;
  const parens = (source.match(/\(\s*[A-Za-z_$][\w$]*\s*\)\s*=>/g) ?? []).length;
  return {
    quote: double > single ? 'double' : 'single',
    lineTerminator: source.includes('\r\n') ? '\r\n' : '\n',
    reuseWhitespace: true,
    arrowParensAlways: parens >= bare,
  };
}

// the directive, after any header comments (`// handler.js` on the first line)
const HEADER = String.raw`(?:\s*(?:\/\/[^\n]*|\/\*[\s\S]*?\*\/))*`;
const DIRECTIVE_DOUBLE_SEMICOLON = new RegExp(String.raw`^(${HEADER}\s*(['"])use strict\2);;`);
const DIRECTIVE_GAP = new RegExp(String.raw`^(${HEADER}\s*(['"])use strict\2;)(\r?\n)\r?\n`);
const DIRECTIVE_LINE = new RegExp(String.raw`^(${HEADER}\s*(['"])use strict\2;)(\r?\n)`);

/**
 * Prints the file's AST once, in its own style. recast prints a Babel directive followed by a
 * reprinted statement as `'use strict';;`; the stray semicolon is removed when the original had none.
 */
export function printRoot(root: Collection, source: string): string {
  let out = root.toSource(printOptionsFor(source));
  if (DIRECTIVE_DOUBLE_SEMICOLON.test(out) && !DIRECTIVE_DOUBLE_SEMICOLON.test(source))
    out = out.replace(DIRECTIVE_DOUBLE_SEMICOLON, '$1;');
  // recast also drops the blank line after the directive when it reprints the statements below it
  if (DIRECTIVE_GAP.test(source) && !DIRECTIVE_GAP.test(out)) out = out.replace(DIRECTIVE_LINE, '$1$3$3');
  return out;
}
