import { VISITOR_KEYS } from './visitor-keys';
import type { Node } from '@babel/types';

/** A node with its ancestry: enough for detectors without a full scope tracker. */
export interface NodePath<T extends Node = Node> {
  node: T;
  parent: NodePath | null;
  /** property of the parent holding this node */
  key: string | null;
  /** index when the parent property is an array */
  index: number | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each visitor narrows the node type it is registered for
export type VisitorFn = (path: NodePath<any>) => void;
/** Keys are node types ("CallExpression") or "<type>:exit". */
export type Visitors = Record<string, VisitorFn | undefined>;

/** Type-only children no detector looks into. */
const TYPE_KEYS = new Set([
  'typeAnnotation',
  'returnType',
  'typeParameters',
  'superTypeParameters',
  'implements',
  'predicate',
]);

/** Child keys per node type (Babel's visitor keys, less type annotations), computed once per type. */
const childKeyCache = new Map<string, readonly string[]>();
export function childKeys(node: Node): readonly string[] {
  let keys = childKeyCache.get(node.type);
  if (!keys) {
    const known = VISITOR_KEYS[node.type];
    keys = known
      ? known.filter((k) => !TYPE_KEYS.has(k))
      : Object.keys(node).filter(
          (k) =>
            ![
              'loc',
              'start',
              'end',
              'range',
              'extra',
              'comments',
              'leadingComments',
              'trailingComments',
              'innerComments',
              'type',
              ...TYPE_KEYS,
            ].includes(k),
        );
    childKeyCache.set(node.type, keys);
  }
  return keys;
}

/**
 * Where a long traversal is, for a progress display: `at(offset)` every `every` nodes, then
 * `finishing(done, total)` between the root's exit visitors (where detectors do their whole-file work).
 */
export interface WalkProgress {
  every: number;
  at(offset: number): void;
  finishing?(done: number, total: number): void;
}

/**
 * One depth-first traversal that calls every visitor registered for a node type, in
 * registration order. Type annotations are skipped: no detector looks inside them.
 */
export function walk(root: Node, visitorSets: Visitors[], progress?: WalkProgress): void {
  const enter = new Map<string, VisitorFn[]>();
  const exit = new Map<string, VisitorFn[]>();
  for (const set of visitorSets) {
    for (const [key, fn] of Object.entries(set)) {
      if (!fn) continue;
      const [type, phase] = key.split(':');
      const target = phase === 'exit' ? exit : enter;
      const list = target.get(type!) ?? [];
      list.push(fn);
      target.set(type!, list);
    }
  }
  let seen = 0;
  const visit = (path: NodePath): void => {
    const node = path.node;
    if (progress && ++seen % progress.every === 0 && typeof node.start === 'number') progress.at(node.start);
    const onEnter = enter.get(node.type);
    if (onEnter) for (const fn of onEnter) fn(path);
    for (const key of childKeys(node)) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const child = value[i];
          if (isNode(child)) visit({ node: child, parent: path, key, index: i });
        }
      } else if (isNode(value)) {
        visit({ node: value, parent: path, key, index: null });
      }
    }
    const onExit = exit.get(node.type);
    if (onExit && progress?.finishing && !path.parent) {
      onExit.forEach((fn, i) => {
        progress.finishing!(i, onExit.length);
        fn(path);
      });
    } else if (onExit) for (const fn of onExit) fn(path);
  };
  visit({ node: root, parent: null, key: null, index: null });
}

export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Nearest ancestor (not the path itself) whose node matches. */
export function findAncestor(path: NodePath, test: (node: Node) => boolean): NodePath | null {
  for (let p = path.parent; p; p = p.parent) if (test(p.node)) return p;
  return null;
}

const FUNCTION_TYPES = new Set([
  'FunctionDeclaration',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ObjectMethod',
  'ClassMethod',
  'ClassPrivateMethod',
]);

export function isFunctionNode(node: Node): boolean {
  return FUNCTION_TYPES.has(node.type);
}

export function enclosingFunction(path: NodePath): NodePath | null {
  return findAncestor(path, isFunctionNode);
}
