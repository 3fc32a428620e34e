import type { CallExpression, NewExpression, Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import type { NodePath } from '../src/parse/walk';
import { isFunctionNode } from '../src/parse/walk';
import { isModuleScope } from './lib/local-scope';
import { keyName, propertyName } from './lib/node-text';
import { unwrap } from './lib/unwrap';

const RULE = 'shared-mutable-state';
const POLICIES_MODULE = /resilience\/policies/;

type Library = 'cockatiel' | 'opossum' | 'policies-module';

/**
 * Whether an options object hydrates the breaker from outside the process: cockatiel's
 * `initialState`, opossum's `state`. Returns [key present, hydrated].
 */
function hydration(options: Node | undefined, key: string): [boolean, boolean] {
  const obj = unwrap(options, { await: true });
  if (!obj || obj.type !== 'ObjectExpression') return [false, false];
  for (const prop of obj.properties) {
    if (prop.type === 'SpreadElement') continue;
    if (keyName(prop) !== key) continue;
    if (prop.type === 'ObjectMethod') return [true, true];
    const value = unwrap(prop.value, { await: true });
    const empty = !value || (value.type === 'Identifier' && value.name === 'undefined') || value.type === 'NullLiteral';
    return [true, !empty];
  }
  return [false, false];
}

/** Name of the function declared by a top-level statement or `const x = () => ...`, when the path sits in one. */
function topLevelFunctionName(path: NodePath): string | null {
  let fn: NodePath | null = null;
  for (let p: NodePath | null = path.parent; p; p = p.parent) if (isFunctionNode(p.node)) fn = p;
  if (!fn) return null;
  const node = fn.node as Node & { id?: { name: string } | null };
  if (node.type === 'FunctionDeclaration' && node.id) return node.id.name;
  const parent = fn.parent?.node;
  if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') return parent.id.name;
  return null;
}

/** Flags circuit breakers held in module memory, which each Lambda instance resets on cold start. */
const lambdaState: CodeDetector = {
  name: 'lambda-state',
  ruleIds: [RULE],
  triggers: ['circuitBreaker', 'CircuitBreaker', 'policyFor', 'opossum'],
  create(ctx: DetectorContext) {
    const cockatielLocals = new Set(ctx.imports.localsOf('cockatiel'));
    const breakerFns = new Set(ctx.imports.localsOf('cockatiel', 'circuitBreaker'));
    const opossum = new Set(ctx.imports.localsOf('opossum'));
    const policyFor = new Set(ctx.imports.localsOf(POLICIES_MODULE, 'policyFor'));
    /** local factories that build a breaker each time they are called */
    const factories = new Map<string, { library: Library; initialState: boolean }>();
    const moduleCalls: Array<{ node: CallExpression; name: string }> = [];

    const report = (node: Node, library: Library, initialState: boolean, what: string): void => {
      ctx.report({
        ruleId: RULE,
        node,
        messageId: 'moduleScopeBreaker',
        message: `${what} is created at module scope, so its state lives in one Lambda instance's memory`,
        data: { scope: 'lambda', library, initialState },
      });
    };

    const found = (path: NodePath, library: Library, options: Node | undefined, key: string, what: string): void => {
      const [present, hydrated] = hydration(options, key);
      if (hydrated) return;
      if (isModuleScope(path)) {
        report(path.node, library, present, what);
        return;
      }
      const factory = topLevelFunctionName(path);
      if (factory) factories.set(factory, { library, initialState: present });
    };

    return {
      CallExpression(path: NodePath<CallExpression>) {
        const { callee } = path.node;
        const args = path.node.arguments as Node[];
        if (callee.type === 'Identifier') {
          if (breakerFns.has(callee.name)) found(path, 'cockatiel', args[1], 'initialState', 'circuitBreaker()');
          else if (policyFor.has(callee.name) && isModuleScope(path))
            report(path.node, 'policies-module', false, `${callee.name}()`);
          else if (isModuleScope(path)) moduleCalls.push({ node: path.node, name: callee.name });
        } else if (callee.type === 'MemberExpression' && propertyName(callee) === 'circuitBreaker') {
          // cockatiel.circuitBreaker(...) or the v2 builder Policy.handleAll().circuitBreaker(...)
          if (cockatielLocals.size > 0) found(path, 'cockatiel', args[1], 'initialState', 'circuitBreaker()');
        }
      },
      NewExpression(path: NodePath<NewExpression>) {
        const { callee } = path.node;
        if (callee.type === 'Identifier' && opossum.has(callee.name)) {
          found(path, 'opossum', path.node.arguments[1] as Node | undefined, 'state', `new ${callee.name}()`);
        }
      },
      'Program:exit'() {
        for (const { node, name } of moduleCalls) {
          const factory = factories.get(name);
          if (factory) report(node, factory.library, factory.initialState, `The circuit breaker from ${name}()`);
        }
      },
    };
  },
};

export default lambdaState;
