import fs from 'node:fs';
import path from 'node:path';
import { lineOf } from './lib/call-arguments';
import { ensureNamedImports, isTopLevelName, moduleStyleOf, parseStatement } from './lib/imports';
import { moduleBindings, localsOf } from './lib/module-bindings';
import { packageRootOf } from './lib/generated-modules';
import { addProperty } from './lib/object-literals';
import { isSelected, toJscodeshiftTransform } from './lib/transform-api';
import type { FixContext, FixStep } from '../src/api/fix-context';
import type { FixStepMeta } from '../src/api/step-metadata';

/**
 * Circuit breaker state outside the Lambda instance (catalog rule shared-mutable-state, spec
 * phase 4.2 "Circuit breaker state in serverless"). A module-scope cockatiel
 * `circuitBreaker(policy, { ... })` is hydrated from SSM (`/resilience/breakers/<name>`, read
 * through @aws-lambda-powertools/parameters with `maxAge` caching) as its `initialState`, and
 * stores `breaker.toJSON()` there on every state change, so every instance (and the
 * breaker-force-close workflow) shares one state. `initialState` is read at construction, so
 * this needs top-level await: ES modules only. In CommonJS the breaker would have to be built
 * on first use, which changes how every caller reaches it; that is left with the steps to take.
 */

// recast hands out loosely typed Babel nodes; shapes are checked at runtime
type AnyNode = any;

const SSM_PREFIX = '/resilience/breakers/';
const MAX_AGE_S = 30;
const HELPERS = ['loadBreakerState', 'storeBreakerState'];

const COMMONJS_REASON =
  'CommonJS has no top-level await, and cockatiel reads initialState only when the breaker is built: build it on first use ' +
  "(`breaker ??= circuitBreaker(policy, { ...options, initialState: await getParameter('" +
  SSM_PREFIX +
  "<name>', { transform: 'json', maxAge: " +
  MAX_AGE_S +
  ' }) })` ' +
  'inside an async getter), call `(await getBreaker()).execute(...)` where it is used, and store `breaker.toJSON()` with setParameter in onStateChange';

/** `paymentsBreaker` → `payments`, `inventory_circuit` → `inventory-circuit`: the SSM parameter's last segment. */
export function breakerName(variable: string): string {
  const base = variable.replace(/[_-]?(circuit[_-]?)?breaker$/i, '') || variable;
  return base
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();
}

/** Top-level await works here: an .mjs/.mts file, or ES syntax in a package of "type": "module". */
function canAwaitAtTopLevel(ctx: FixContext): boolean {
  if (/\.m[jt]s$/.test(ctx.file)) return true;
  if (/\.c[jt]s$/.test(ctx.file) || moduleStyleOf(ctx.j, ctx.root, ctx.file) !== 'esm') return false;
  try {
    const pkg = JSON.parse(
      fs.readFileSync(path.join(packageRootOf(path.dirname(ctx.file)), 'package.json'), 'utf8'),
    ) as { type?: string };
    return pkg.type === 'module';
  } catch {
    return false;
  }
}

function helperStatements(ctx: FixContext, ts: boolean, getParameter: string, setParameter: string): AnyNode[] {
  const t = (annotation: string): string => (ts ? annotation : '');
  const load = [
    '// Breaker state shared by every Lambda instance through SSM (cockatiel toJSON/initialState);',
    '// the breaker-force-close workflow writes the same parameters.',
    `async function loadBreakerState(name${t(': string')})${t(': Promise<unknown>')} {`,
    '  try {',
    `    return await ${getParameter}(\`${SSM_PREFIX}\${name}\`, { transform: 'json', maxAge: ${MAX_AGE_S} });`,
    '  } catch {',
    '    // intended: no stored state yet, or SSM unreachable: the breaker starts closed, as before',
    '    return undefined;',
    '  }',
    '}',
  ].join('\n');
  const store = [
    `function storeBreakerState(name${t(': string')}, breaker${t(': { toJSON(): unknown }')})${t(': void')} {`,
    `  ${setParameter}(\`${SSM_PREFIX}\${name}\`, { value: JSON.stringify(breaker.toJSON()), overwrite: true }).catch(() => {`,
    '    // intended: storing is best effort, the breaker keeps working from memory',
    '  });',
    '}',
  ].join('\n');
  return [parseStatement(ctx.j, load), parseStatement(ctx.j, store)];
}

interface Site {
  statement: AnyNode;
  name: string;
  options: AnyNode;
  line: number;
}

/** Module-scope `const x = circuitBreaker(policy, { ... })` (exported or not) with no initialState yet. */
function sites(
  ctx: FixContext,
  breakerFns: Set<string>,
): { found: Site[]; left: Array<{ line: number; reason: string }> } {
  const { j, root } = ctx;
  const program = root.find(j.Program).get().node as { body: AnyNode[] };
  const found: Site[] = [];
  const left: Array<{ line: number; reason: string }> = [];
  for (const s of program.body) {
    const decl = s.type === 'ExportNamedDeclaration' ? s.declaration : s;
    if (decl?.type !== 'VariableDeclaration') continue;
    for (const d of decl.declarations) {
      const call = d.init;
      if (call?.type !== 'CallExpression' || call.callee.type !== 'Identifier' || !breakerFns.has(call.callee.name))
        continue;
      if (!isSelected(ctx, call) && !isSelected(ctx, s)) continue;
      const options = call.arguments[1];
      const line = lineOf(call);
      if (d.id.type !== 'Identifier' || decl.declarations.length !== 1)
        left.push({ line, reason: 'the breaker is not a single named const: hydrate initialState by hand' });
      else if (options?.type !== 'ObjectExpression')
        left.push({ line, reason: 'the breaker options are not an object literal: add initialState by hand' });
      else if (
        options.properties.some(
          (p: AnyNode) => p.type !== 'SpreadElement' && (p.key?.name ?? p.key?.value) === 'initialState',
        )
      )
        continue;
      else found.push({ statement: s, name: d.id.name, options, line });
    }
  }
  return { found, left };
}

export const step: FixStepMeta = {
  name: 'external-breaker-state',
  phase: '4.2',
  fixes: ['shared-mutable-state'],
  requires: [],
  // the established order of phase 4.2 (the policy module first); no interaction with policy-layer is known
  runsAfter: ['policy-layer'],
};

export const fix: FixStep = (ctx) => {
  const { j, root, file } = ctx;
  const breakerFns = localsOf(
    moduleBindings(root),
    (s) => s === 'cockatiel',
    (n) => n === 'circuitBreaker',
  );
  if (!breakerFns.size) return false;
  const { found, left } = sites(ctx, breakerFns);
  for (const l of left) ctx.skip(l.line, l.reason);
  if (!found.length) return false;
  if (!canAwaitAtTopLevel(ctx)) {
    for (const s of found) ctx.skip(s.line, COMMONJS_REASON);
    return false;
  }
  const taken = HELPERS.find((n) => isTopLevelName(j, root, n));
  if (taken) {
    for (const s of found)
      ctx.skip(s.line, `the name ${taken} is already used in this file: hydrate initialState by hand`);
    return false;
  }
  const ts = /\.[cm]?tsx?$/.test(file);
  const ssm = ensureNamedImports(j, root, file, '@aws-lambda-powertools/parameters/ssm', [
    'getParameter',
    'setParameter',
  ]);
  ctx.addDependency('@aws-lambda-powertools/parameters', '^2.0.0');
  ctx.addDependency('@aws-sdk/client-ssm', '^3.0.0');
  // the function must be allowed to read and write the parameters: added to its IaC by the engine, or this fix is not made
  ctx.needInfra({ kind: 'ssm-parameters', pathPrefix: SSM_PREFIX });

  const program = root.find(j.Program).get().node as { body: AnyNode[] };
  const first = Math.min(...found.map((s) => program.body.indexOf(s.statement)));
  program.body.splice(first, 0, ...helperStatements(ctx, ts, ssm.getParameter!, ssm.setParameter!));
  for (const s of found) {
    const name = breakerName(s.name);
    addProperty(j, s.options, 'initialState', `await loadBreakerState('${name}')`);
    const persist = parseStatement(j, `${s.name}.onStateChange(() => storeBreakerState('${name}', ${s.name}));`);
    // a comment trailing the breaker (the file's last lines) stays after the new statement
    const trailing = (s.statement.comments ?? []).filter((c: AnyNode) => c.trailing);
    if (trailing.length) {
      s.statement.comments = s.statement.comments.filter((c: AnyNode) => !c.trailing);
      persist.comments = trailing;
    }
    program.body.splice(program.body.indexOf(s.statement) + 1, 0, persist);
  }
  return true;
};

export default toJscodeshiftTransform(fix);
