import fs from 'node:fs';
import path from 'node:path';
import type { Node, Program } from '@babel/types';
import JSON5 from 'json5';
import { isModuleExports } from '../../detectors/lib/node-text';
import { unwrap } from '../../detectors/lib/unwrap';
import { languageOf } from '../parse/parse-options';
import { parseSource } from '../parse/parse-source';
import type { IacInputFile } from '../types';
import { joinRel, resolveModuleFile } from './handler-paths';

/*
 * A Serverless Framework configuration written as a TypeScript or JavaScript module
 * (`serverless.ts`, the aws-nodejs-typescript template): the exported object literal is read
 * statically, following constants, imports of project modules (tsconfig `paths` aliases such as
 * `@functions/*` included), re-exports and spreads, and written out as the YAML the serverless
 * reader already understands. Each YAML line remembers where in the sources its key came from, so
 * a finding on a function defined in `src/functions/hello/index.ts` points there. Nothing is
 * executed; a value that is not literal (a call, `process.env.X`, arithmetic) is kept as an opaque
 * `${?}` string, so a setting written with one still counts as set.
 */

/** A place in the sources: posix path relative to the scan root, 1-based line and column. */
export interface SourceOrigin {
  file: string;
  line: number;
  column: number;
}

export interface ServerlessScript {
  yaml: string;
  /** origin of each YAML line (index 0 = line 1) */
  origins: SourceOrigin[];
}

type Value =
  | { kind: 'map'; entries: Array<{ key: string; at: SourceOrigin; value: Value }>; at: SourceOrigin }
  | { kind: 'seq'; items: Value[]; at: SourceOrigin }
  | { kind: 'scalar'; value: string | number | boolean; at: SourceOrigin };

interface Module {
  file: string;
  program: Program;
}

const SCRIPT_NAME = /^serverless(\.[\w-]+)?\.[cm]?[jt]s$/;

/** Whether a file is a Serverless configuration module (`serverless.ts`, `serverless.prod.js`). */
export function isServerlessScript(file: string, text: string): boolean {
  return SCRIPT_NAME.test(path.posix.basename(file)) && /\bfunctions\b/.test(text) && /\bprovider\b/.test(text);
}

class ScriptReader {
  private readonly modules = new Map<string, Module | null>();
  private readonly aliases: Array<{ prefix: string; suffix: string; targets: string[] }>;
  /** `file#name` bindings being resolved: a reference that comes round again is a cycle */
  private readonly resolving = new Set<string>();
  /** values read so far: a configuration that fans out past this is not read further */
  private budget = 50_000;

  constructor(
    private readonly root: string,
    private readonly serviceDir: string,
    private readonly repoFiles: ReadonlySet<string>,
  ) {
    this.aliases = readPathAliases(root, serviceDir);
  }

  module(file: string, text?: string): Module | null {
    if (this.modules.has(file)) return this.modules.get(file)!;
    let source = text;
    if (source === undefined) {
      try {
        source = fs.readFileSync(path.join(this.root, file), 'utf8');
      } catch {
        source = undefined;
      }
    }
    const parsed = source === undefined ? null : parseSource(source, languageOf(file) ?? 'ts');
    const mod = parsed?.ok ? { file, program: parsed.ast.program } : null;
    this.modules.set(file, mod);
    return mod;
  }

  /** The file a module specifier names from `from` (relative, or through a tsconfig alias), or null for a package. */
  resolve(from: string, spec: string): string | null {
    if (spec.startsWith('.')) return this.existing(joinRel(path.posix.dirname(from), spec));
    for (const a of this.aliases) {
      if (!spec.startsWith(a.prefix) || !spec.endsWith(a.suffix)) continue;
      const star = spec.slice(a.prefix.length, spec.length - a.suffix.length);
      for (const t of a.targets) {
        const found = this.existing(t.replace('*', star));
        if (found) return found;
      }
    }
    return null;
  }

  private existing(base: string): string | null {
    const file = resolveModuleFile(base, this.repoFiles);
    return this.repoFiles.has(file) ? file : null;
  }

  /** The exported configuration object of the serverless module. */
  config(mod: Module): Value | null {
    for (const st of mod.program.body) {
      let exported: Node | null = null;
      if (st.type === 'ExportDefaultDeclaration') exported = st.declaration as Node;
      else if (st.type === 'TSExportAssignment') exported = st.expression;
      else if (
        st.type === 'ExpressionStatement' &&
        st.expression.type === 'AssignmentExpression' &&
        isModuleExports(st.expression.left)
      )
        exported = st.expression.right;
      if (!exported) continue;
      // `export default defineConfig({ … })`: a helper around the object literal
      const e = unwrap(exported);
      if (e?.type === 'CallExpression' && e.arguments.length === 1 && e.arguments[0]!.type === 'ObjectExpression')
        exported = e.arguments[0] as Node;
      return this.value(mod, exported);
    }
    return null;
  }

  value(mod: Module, raw: Node | null | undefined): Value | null {
    const node = unwrap(raw);
    if (!node || --this.budget < 0) return null;
    const at = originOf(mod.file, node);
    switch (node.type) {
      case 'StringLiteral':
      case 'NumericLiteral':
      case 'BooleanLiteral':
        return { kind: 'scalar', value: node.value, at };
      case 'TemplateLiteral': {
        let text = '';
        node.quasis.forEach((q, i) => {
          text += q.value.cooked ?? q.value.raw;
          const e = node.expressions[i];
          if (e) text += this.templatePart(mod, e as Node);
        });
        return { kind: 'scalar', value: text, at };
      }
      case 'ArrayExpression': {
        const items: Value[] = [];
        for (const el of node.elements) {
          if (!el) continue;
          if (el.type === 'SpreadElement') {
            const spread = this.value(mod, el.argument);
            if (spread?.kind === 'seq') items.push(...spread.items);
            continue;
          }
          const v = this.value(mod, el);
          if (v) items.push(v);
        }
        return { kind: 'seq', items, at };
      }
      case 'ObjectExpression': {
        const entries: Array<{ key: string; at: SourceOrigin; value: Value }> = [];
        const put = (e: { key: string; at: SourceOrigin; value: Value }): void => {
          const i = entries.findIndex((x) => x.key === e.key);
          if (i >= 0) entries.splice(i, 1);
          entries.push(e);
        };
        for (const p of node.properties) {
          if (p.type === 'SpreadElement') {
            const spread = this.value(mod, p.argument);
            if (spread?.kind === 'map') spread.entries.forEach(put);
            continue;
          }
          if (p.type !== 'ObjectProperty' || p.computed) continue;
          const key =
            p.key.type === 'Identifier'
              ? p.key.name
              : p.key.type === 'StringLiteral' || p.key.type === 'NumericLiteral'
                ? String(p.key.value)
                : null;
          const v = key === null ? null : this.value(mod, p.value as Node);
          // a value written in another module (`functions: { hello }`) is reported where it is written
          if (key !== null && v) put({ key, at: v.at.file === mod.file ? originOf(mod.file, p.key) : v.at, value: v });
        }
        return { kind: 'map', entries, at };
      }
      case 'Identifier':
        return node.name === 'undefined' ? null : (this.binding(mod, node.name) ?? unknown(at));
      case 'NullLiteral':
        return null;
      default:
        // a call, `process.env.X`, arithmetic: set, to a value known only when deployed
        return unknown(at);
    }
  }

  /** `${handlerPath(__dirname)}` and `${__dirname}`: the module's folder relative to the service. */
  private templatePart(mod: Module, e: Node): string {
    const usesDirname = (n: Node): boolean =>
      (n.type === 'Identifier' && n.name === '__dirname') ||
      (n.type === 'CallExpression' && n.arguments.some((a) => usesDirname(a as Node)));
    if (usesDirname(e)) return path.posix.relative(this.serviceDir, path.posix.dirname(mod.file)) || '.';
    const v = this.value(mod, e);
    return v?.kind === 'scalar' ? String(v.value) : '${?}';
  }

  /** What a name of the module holds: a top-level constant, or an import from a project module. */
  private binding(mod: Module, name: string): Value | null {
    return this.once(`${mod.file}#${name}`, () => {
      for (const st of mod.program.body) {
        const decl = st.type === 'ExportNamedDeclaration' ? st.declaration : st;
        if (decl?.type === 'VariableDeclaration') {
          for (const d of decl.declarations)
            if (d.id.type === 'Identifier' && d.id.name === name) return this.value(mod, d.init);
        }
        if (st.type === 'ImportDeclaration') {
          for (const s of st.specifiers) {
            if (s.local.name !== name) continue;
            const target = this.resolve(mod.file, st.source.value);
            const other = target ? this.module(target) : null;
            if (!other) return null;
            if (s.type === 'ImportDefaultSpecifier') return this.exported(other, 'default');
            if (s.type === 'ImportSpecifier')
              return this.exported(other, s.imported.type === 'Identifier' ? s.imported.name : s.imported.value);
            return null;
          }
        }
      }
      return null;
    });
  }

  /** Resolves a binding once at a time: one that is met again while being resolved is a cycle. */
  private once(key: string, read: () => Value | null): Value | null {
    if (this.resolving.has(key)) return null;
    this.resolving.add(key);
    try {
      return read();
    } finally {
      this.resolving.delete(key);
    }
  }

  /** An export of a module: `export default {…}`, `export const x = …`, `export { default as x } from './x'`. */
  private exported(mod: Module, name: string): Value | null {
    return this.once(`${mod.file}#export:${name}`, () => {
      for (const st of mod.program.body) {
        if (name === 'default' && st.type === 'ExportDefaultDeclaration')
          return this.value(mod, st.declaration as Node);
        if (st.type !== 'ExportNamedDeclaration') continue;
        if (st.declaration?.type === 'VariableDeclaration') {
          for (const d of st.declaration.declarations)
            if (d.id.type === 'Identifier' && d.id.name === name) return this.value(mod, d.init);
        }
        for (const s of st.specifiers) {
          if (s.type !== 'ExportSpecifier') continue;
          const exportedName = s.exported.type === 'Identifier' ? s.exported.name : s.exported.value;
          if (exportedName !== name) continue;
          if (!st.source) return this.binding(mod, s.local.name);
          const target = this.resolve(mod.file, st.source.value);
          const other = target ? this.module(target) : null;
          return other ? this.exported(other, s.local.name) : null;
        }
      }
      return null;
    });
  }
}

/** A value set to something only the deploy knows (the YAML reader reads it as a string: set). */
function unknown(at: SourceOrigin): Value {
  return { kind: 'scalar', value: '${?}', at };
}

function originOf(file: string, node: Node): SourceOrigin {
  return { file, line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 };
}

/**
 * tsconfig `compilerOptions.paths` of the service as prefix/suffix patterns, following `extends`
 * (each file's `paths` and `baseUrl` relative to the file that declares them).
 */
function readPathAliases(
  root: string,
  serviceDir: string,
): Array<{ prefix: string; suffix: string; targets: string[] }> {
  const read = (rel: string): Record<string, unknown> | null => {
    try {
      // tsconfig is JSON with comments and trailing commas (JSON5 reads both)
      return JSON5.parse(fs.readFileSync(path.join(root, rel), 'utf8').replace(/^\uFEFF/, '')) as Record<
        string,
        unknown
      >;
    } catch {
      return null;
    }
  };
  type Options = { paths?: Record<string, unknown>; baseUrl?: string };
  let paths: { map: Record<string, unknown>; dir: string } | null = null;
  let baseUrl: string | null = null;
  // the nearest file that sets a key wins: the service's own, then what it extends
  let file: string | null = joinRel(serviceDir, 'tsconfig.json');
  for (let hops = 0; file && hops < 5; hops++) {
    const config = read(file);
    if (!config) break;
    const dir = path.posix.dirname(file);
    const options = (config.compilerOptions ?? {}) as Options;
    if (!paths && options.paths && typeof options.paths === 'object') paths = { map: options.paths, dir };
    if (baseUrl === null && typeof options.baseUrl === 'string') baseUrl = joinRel(dir, options.baseUrl);
    const ext = Array.isArray(config.extends) ? config.extends[0] : config.extends;
    file =
      typeof ext === 'string' && ext.startsWith('.') ? joinRel(dir, ext.endsWith('.json') ? ext : `${ext}.json`) : null;
  }
  if (!paths) return [];
  const base = baseUrl ?? paths.dir;
  return Object.entries(paths.map).map(([pattern, targets]) => {
    const star = pattern.indexOf('*');
    return {
      prefix: star < 0 ? pattern : pattern.slice(0, star),
      suffix: star < 0 ? '' : pattern.slice(star + 1),
      targets: (Array.isArray(targets) ? targets : [])
        .filter((t) => typeof t === 'string')
        .map((t) => joinRel(base, t)),
    };
  });
}

/** Writes the value as block YAML, one origin per line. */
function emit(v: Value, out: { lines: string[]; origins: SourceOrigin[] }): void {
  const scalar = (s: string | number | boolean): string => (typeof s === 'string' ? JSON.stringify(s) : String(s));
  const line = (text: string, at: SourceOrigin): void => {
    out.lines.push(text);
    out.origins.push(at);
  };
  const write = (value: Value, indent: string, first: { prefix: string } | null): void => {
    // `first`: the text that starts the first line (a sequence item's `- `)
    let lead = first ? first.prefix : indent;
    const next = (): string => {
      const l = lead;
      lead = indent;
      return l;
    };
    if (value.kind === 'map') {
      if (value.entries.length === 0) return line(`${next()}{}`, value.at);
      for (const e of value.entries) {
        const key = JSON.stringify(e.key);
        if (e.value.kind === 'scalar') line(`${next()}${key}: ${scalar(e.value.value)}`, e.at);
        else if (e.value.kind === 'map' && e.value.entries.length === 0) line(`${next()}${key}: {}`, e.at);
        else if (e.value.kind === 'seq' && e.value.items.length === 0) line(`${next()}${key}: []`, e.at);
        else {
          line(`${next()}${key}:`, e.at);
          write(e.value, `${indent}  `, null);
        }
      }
      return;
    }
    if (value.kind === 'seq') {
      if (value.items.length === 0) return line(`${next()}[]`, value.at);
      for (const item of value.items) {
        const prefix = `${next()}- `;
        if (item.kind === 'scalar') line(`${prefix}${scalar(item.value)}`, item.at);
        else write(item, `${indent}  `, { prefix });
      }
      return;
    }
    line(`${next()}${scalar(value.value)}`, value.at);
  };
  write(v, '', null);
}

/** The YAML form of a serverless configuration module, or null when its exported object cannot be read. */
export function serverlessScriptYaml(file: IacInputFile, repoFiles: ReadonlySet<string>): ServerlessScript | null {
  const root = file.absPath.slice(0, file.absPath.length - file.path.length);
  const reader = new ScriptReader(root, path.posix.dirname(file.path), repoFiles);
  const mod = reader.module(file.path, file.text);
  const config = mod ? reader.config(mod) : null;
  if (!config || config.kind !== 'map') return null;
  const out = { lines: [] as string[], origins: [] as SourceOrigin[] };
  emit(config, out);
  return { yaml: `${out.lines.join('\n')}\n`, origins: out.origins };
}
