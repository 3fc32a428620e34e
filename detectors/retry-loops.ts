import type { CallExpression, Function as FunctionNode, Node, NewExpression, TryStatement } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import type { NodePath } from '../src/parse/walk';
import { forEachDescendant, someDescendant } from './lib/descendants';
import { isSelfCall, selfReference } from './lib/self-calls';
import { hasAttemptBound, hasFailureExit, isEndlessTest } from './lib/retry-bounds';
import { libraryFindings } from './lib/retry-library-options';
import { attemptLimit, constantDelay, constNamesOf, type Constants } from './lib/retry-limits';
import { toFindingData, type RetryLoopData } from '../src/rule-data/policy-rules';
import { awaitedSleeps, delayJitter, indexValues, type ValueIndex } from './lib/sleep-calls';
import { unwrap } from './lib/unwrap';

const NO_JITTER = 'retry-without-jitter';
const NO_MAX = 'retry-without-max';
const LOOP = /^(For|ForOf|ForIn|While|DoWhile)Statement$/;

type Loop = Extract<
  Node,
  { type: 'ForStatement' | 'ForOfStatement' | 'ForInStatement' | 'WhileStatement' | 'DoWhileStatement' }
>;

/** try statements of this loop's own body (not of nested loops or functions). */
function loopTries(loop: Loop): TryStatement[] {
  const out: TryStatement[] = [];
  forEachDescendant(
    loop.body,
    (n) => {
      if (LOOP.test(n.type)) return false;
      if (n.type === 'TryStatement' && n.handler) out.push(n);
      return true;
    },
    { intoFunctions: false },
  );
  return out;
}

/** The try block leaves the loop on success: `return`, or a `break` aimed at this loop. */
function exitsOnSuccess(block: Node): boolean {
  return someDescendant(
    block,
    (n, ancestors) => {
      if (n.type === 'ReturnStatement') return true;
      if (n.type !== 'BreakStatement' || n.label) return false;
      return !ancestors.some((a) => a !== block && (LOOP.test(a.type) || a.type === 'SwitchStatement'));
    },
    { intoFunctions: false },
  );
}

/** Success always leaves the loop (the try block ends in `return`/`break`): unlike polling, which waits after a success too. */
function alwaysExitsOnSuccess(t: TryStatement): boolean {
  const last = t.block.body[t.block.body.length - 1];
  return !!last && (last.type === 'ReturnStatement' || (last.type === 'BreakStatement' && !last.label));
}

/** `while (!done)` / `do {} while (!ok)` where the flag is set only inside a try block. */
function isSuccessFlagLoop(loop: Loop, tries: TryStatement[]): boolean {
  if (loop.type !== 'WhileStatement' && loop.type !== 'DoWhileStatement') return false;
  const test = unwrap(loop.test, { await: true, void: true });
  if (test.type !== 'UnaryExpression' || test.operator !== '!' || test.argument.type !== 'Identifier') return false;
  const flag = test.argument.name;
  const setsFlag = (n: Node): boolean =>
    n.type === 'AssignmentExpression' && n.left.type === 'Identifier' && n.left.name === flag;
  return (
    tries.some((t) => someDescendant(t.block, setsFlag)) &&
    !tries.some((t) => t.handler && someDescendant(t.handler, setsFlag))
  );
}

const STATUS_FIELD = /^(ok|status|statusCode)$/;

/** `if (res.ok) return res;` / `if (r.status === 200) break;` at the loop's own level: success leaves the loop. */
function statusExit(body: Node): boolean {
  return someDescendant(
    body,
    (n) => {
      if (n.type !== 'IfStatement') return false;
      const readsStatus = someDescendant(
        n.test,
        (t) =>
          (t.type === 'MemberExpression' || t.type === 'OptionalMemberExpression') &&
          !t.computed &&
          t.property.type === 'Identifier' &&
          STATUS_FIELD.test(t.property.name),
      );
      if (!readsStatus) return false;
      const c = n.consequent.type === 'BlockStatement' ? n.consequent.body[n.consequent.body.length - 1] : n.consequent;
      return !!c && (c.type === 'ReturnStatement' || (c.type === 'BreakStatement' && !c.label));
    },
    { intoFunctions: false },
  );
}

function paramNames(fn: FunctionNode): string[] {
  const names: string[] = [];
  for (const p of fn.params) {
    forEachDescendant(p, (n, ancestors) => {
      const parent = ancestors[ancestors.length - 1];
      if (
        n.type === 'Identifier' &&
        !(parent && parent.type === 'ObjectProperty' && parent.key === n && !parent.shorthand)
      )
        names.push(n.name);
    });
  }
  return names;
}

/** Delays all known to be deterministic: at least one sleep, and none random or computed elsewhere. */
function allFixed(sleeps: Array<{ delay: Node }>, values: ValueIndex): boolean {
  return sleeps.length > 0 && sleeps.every((s) => delayJitter(s.delay, values) === 'none');
}

function create(ctx: DetectorContext) {
  let values: ValueIndex | null = null;
  const valuesOf = (): ValueIndex => (values ??= indexValues(ctx.ast));
  let constants: Constants | null = null;
  const constantsOf = (): Constants => (constants ??= { values: valuesOf(), constNames: constNamesOf(ctx.ast) });

  const checkLoop = (path: NodePath<Loop>): void => {
    const loop = path.node;
    const tries = loopTries(loop);
    if (tries.length === 0) {
      checkStatusLoop(path);
      return;
    }
    const successExit = tries.some((t) => exitsOnSuccess(t.block));
    const flagLoop = isSuccessFlagLoop(loop, tries);
    const backsOffInCatch = tries.some((t) => t.handler && awaitedSleeps(t.handler.body).length > 0);
    // a try/catch in a loop is a retry only if success always ends the loop or failure waits and goes round
    if (!tries.some(alwaysExitsOnSuccess) && !flagLoop && !backsOffInCatch) return;
    // what replacing the loop by a policy needs: its attempt limit and its wait
    const loopData = (): Record<string, unknown> => {
      const delayMs = constantDelay(loop, constantsOf());
      const data: RetryLoopData = {
        form: 'loop',
        limit: flagLoop ? { kind: 'unknown' } : attemptLimit(path, constantsOf()),
        ...(delayMs !== undefined ? { delayMs } : {}),
      };
      return toFindingData(data);
    };
    if (allFixed(awaitedSleeps(loop.body, { skipLoops: true }), valuesOf())) {
      ctx.report({
        ruleId: NO_JITTER,
        node: loop,
        endNode: loop.body,
        messageId: 'loopFixedDelay',
        message: 'retry loop sleeps a fixed delay with no random jitter',
        data: loopData(),
      });
    }
    const endless =
      (loop.type === 'WhileStatement' || loop.type === 'DoWhileStatement' || loop.type === 'ForStatement') &&
      isEndlessTest(loop.test);
    if ((endless && successExit) || flagLoop) {
      if (!hasAttemptBound(loop) && !tries.some((t) => t.handler && hasFailureExit(t.handler))) {
        ctx.report({
          ruleId: NO_MAX,
          node: loop,
          endNode: loop.body,
          messageId: 'loopWithoutLimit',
          message: 'retry loop runs until the call succeeds, with no attempt limit',
          data: loopData(),
        });
      }
    }
  };

  /**
   * `while (true) { const res = await fetch(u); if (res.ok) return res; await sleep(500); }`: a
   * retry driven by the answer's status instead of a catch. Reported by hand-rewrite only (the
   * loop's own test decides what a failure is).
   */
  const checkStatusLoop = (path: NodePath<Loop>): void => {
    const loop = path.node;
    if (!statusExit(loop.body)) return;
    const sleeps = awaitedSleeps(loop.body, { skipLoops: true });
    if (sleeps.length === 0) return;
    const data = { form: 'status-loop', fixable: false };
    if (allFixed(sleeps, valuesOf())) {
      ctx.report({
        ruleId: NO_JITTER,
        node: loop,
        endNode: loop.body,
        messageId: 'pollingFixedDelay',
        message: 'retry loop polls until the answer succeeds, sleeping a fixed delay with no random jitter',
        data,
      });
    }
    const endless =
      (loop.type === 'WhileStatement' || loop.type === 'DoWhileStatement' || loop.type === 'ForStatement') &&
      isEndlessTest(loop.test);
    if (endless && !hasAttemptBound(loop)) {
      ctx.report({
        ruleId: NO_MAX,
        node: loop,
        endNode: loop.body,
        messageId: 'pollingWithoutLimit',
        message: 'retry loop polls until the answer succeeds, with no attempt limit',
        data,
      });
    }
  };

  const checkFunction = (path: NodePath<FunctionNode>): void => {
    const fn = path.node;
    const self = selfReference(path);
    if (!self) return;
    forEachDescendant(
      fn.body,
      (n) => {
        if (n.type !== 'CatchClause') return true;
        let retryCall: CallExpression | null = null;
        forEachDescendant(
          n.body,
          (d) => {
            if (!retryCall && isSelfCall(d, self)) retryCall = d;
            return !retryCall;
          },
          { intoFunctions: false },
        );
        if (!retryCall) return true;
        const call: CallExpression = retryCall;
        // handing the error to itself (`cb(err)`) propagates it, like next(err): not a retry
        const param = n.param && n.param.type === 'Identifier' ? n.param.name : null;
        if (param && call.arguments.some((a) => someDescendant(a, (d) => d.type === 'Identifier' && d.name === param)))
          return true;
        if (allFixed(awaitedSleeps(n.body), valuesOf())) {
          ctx.report({
            ruleId: NO_JITTER,
            node: call,
            messageId: 'recursionFixedDelay',
            message: `${self.name}() retries itself after a fixed delay with no random jitter`,
            data: { form: 'recursion' },
          });
        }
        if (!hasAttemptBound(fn.body, paramNames(fn))) {
          ctx.report({
            ruleId: NO_MAX,
            node: call,
            messageId: 'recursionWithoutLimit',
            message: `${self.name}() calls itself again from its catch with no attempt limit`,
            data: { form: 'recursion' },
          });
        }
        return true;
      },
      { intoFunctions: false },
    );
  };

  const checkLibrary = (path: NodePath<CallExpression | NewExpression>): void => {
    for (const f of libraryFindings(path.node, ctx.imports, valuesOf)) {
      ctx.report({
        ruleId: f.ruleId,
        node: f.node,
        messageId: f.ruleId === NO_MAX ? 'libraryWithoutLimit' : 'libraryWithoutJitter',
        message: f.message,
        data: { form: f.form },
      });
    }
  };

  return {
    ForStatement: checkLoop,
    ForOfStatement: checkLoop,
    ForInStatement: checkLoop,
    WhileStatement: checkLoop,
    DoWhileStatement: checkLoop,
    FunctionDeclaration: checkFunction,
    FunctionExpression: checkFunction,
    ArrowFunctionExpression: checkFunction,
    ClassMethod: checkFunction,
    ObjectMethod: checkFunction,
    CallExpression: checkLibrary,
    NewExpression: checkLibrary,
  };
}

const retryLoops: CodeDetector = {
  name: 'retry-loops',
  ruleIds: [NO_JITTER, NO_MAX],
  // a status-driven loop (`if (res.ok) return …; await sleep(…)`) waits between its attempts
  triggers: ['catch', 'Backoff', 'retry', 'retries', 'maxAttempts', /\b(?:sleep|delay|wait|setTimeout)\w*\s*\(/],
  create,
};

export default retryLoops;
