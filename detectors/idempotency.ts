import type { Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import { isFunctionNode, walk } from '../src/parse/walk';
import {
  exportedFunctions,
  resolveFunction,
  topLevelBindings,
  triggerOfFunction,
  triggerOfType,
  type Trigger,
} from './lib/lambda-handlers';
import { LOGGING_PACKAGES, onlyLogs } from './lib/log-only';
import { onlyRelays, scanEffects, triggerFromFields, type EffectScan } from './lib/side-effects';

const RULE = 'no-idempotency';
/** Event sources that deliver at least once and retry, so a consumer sees duplicates. */
const CONSUMERS = new Set<Trigger>(['sqs', 'sns', 'eventbridge', 'kinesis', 'dynamodb-stream']);
const TRIGGER_LABEL: Record<string, string> = {
  sqs: 'SQS',
  sns: 'SNS',
  eventbridge: 'EventBridge',
  kinesis: 'Kinesis',
  'dynamodb-stream': 'DynamoDB stream',
};
const POWERTOOLS_IDEMPOTENCY = /^@aws-lambda-powertools\/idempotency(\/|$)/;

/**
 * Flags queue, topic, bus and stream consumers that write side effects with no idempotency
 * key or conditional write. Also records every exported Lambda handler and its trigger.
 */
const idempotency: CodeDetector = {
  name: 'idempotency',
  ruleIds: [RULE],
  // a handler is an export whose type, name or record fields say so (a file the infrastructure
  // declares as a handler is visited whatever its text)
  triggers: [
    /^(?=[\s\S]*?\bexports?\b)(?=[\s\S]*?(?:Event|Handler|handler|Record|APIGateway|processPartialResponse|detail-type))/,
  ],
  records: ['handlerExports'],
  create(ctx: DetectorContext) {
    return {
      'Program:exit'() {
        const program = ctx.ast.program;
        const iac = ctx.project.iacHandlers.get(ctx.file.path) ?? [];
        const fileGuarded =
          [...ctx.imports.sources].some((s) => POWERTOOLS_IDEMPOTENCY.test(s)) ||
          ctx.file.text.includes('attribute_not_exists');
        const locals = topLevelBindings(program);
        const localFunctions = new Map<string, Node>();
        for (const [name, value] of locals) {
          const fn = resolveFunction(value, locals);
          if (fn) localFunctions.set(name, fn);
        }
        const sourceOf = (local: string): string | undefined => ctx.imports.sourceOf(local);
        const namedLoggers = [...ctx.imports.sources].some((s) => LOGGING_PACKAGES.test(s));

        for (const exp of exportedFunctions(program)) {
          const scan = exp.fn ? scanWithHelpers(exp.fn, localFunctions, sourceOf) : null;
          const declared = iac.find((h) => h.exportName === exp.exportName);
          const iacTrigger = declared
            ? (declared.triggers.find((t) => CONSUMERS.has(t)) ?? declared.triggers[0] ?? 'unknown')
            : null;
          const typed = triggerOfType(exp.bindingType) ?? triggerOfFunction(exp.fn);
          let trigger: Trigger | null = typed && typed !== 'unknown' ? typed : (iacTrigger ?? typed);
          if ((!trigger || trigger === 'unknown') && scan && exp.fn && isFunctionNode(exp.fn))
            trigger = triggerFromFields(scan) ?? (readsEventDetail(exp.fn) ? 'eventbridge' : trigger);
          if (!trigger && exp.exportName === 'handler' && exp.fn) trigger = 'unknown';
          if (!trigger) continue;
          ctx.facts.handlerExports.set(exp.exportName, trigger);
          // read by the no-dlq join: an asynchronous trigger of a handler that only logs needs no DLQ
          if (exp.fn && isFunctionNode(exp.fn) && onlyLogs(exp.fn, { namedLoggers }))
            ctx.facts.logOnlyExports = [...(ctx.facts.logOnlyExports ?? []), exp.exportName];

          if (
            !CONSUMERS.has(trigger) ||
            !scan ||
            fileGuarded ||
            scan.guarded ||
            scan.effects.length === 0 ||
            onlyRelays(scan)
          )
            continue;
          const label = TRIGGER_LABEL[trigger] ?? trigger;
          ctx.report({
            ruleId: RULE,
            node: exp.site,
            messageId: 'consumerWithoutIdempotency',
            message: `${label} consumer ${exp.exportName}() writes (${scan.effects[0]}) without an idempotency check`,
            data: { trigger, exportName: exp.exportName, batch: scan.batch, effects: [...new Set(scan.effects)] },
          });
        }
      },
    };
  },
};

/** `event.detail.orderId` on the handler's first parameter: the shape of an EventBridge event. */
function readsEventDetail(fn: Node): boolean {
  const first = (fn as { params?: Node[] }).params?.[0];
  if (!first || first.type !== 'Identifier') return false;
  const name = first.name;
  let found = false;
  walk(fn, [
    {
      MemberExpression(path) {
        const m = path.node as { object: Node; property: Node; computed: boolean };
        if (
          !found &&
          m.object.type === 'Identifier' &&
          (m.object as { name: string }).name === name &&
          !m.computed &&
          m.property.type === 'Identifier' &&
          (m.property as { name: string }).name === 'detail'
        )
          found = true;
      },
    },
  ]);
  return found;
}

/** The handler itself plus the same-file functions it references, one level deep. */
function scanWithHelpers(
  fn: Node,
  localFunctions: Map<string, Node>,
  sourceOf: (local: string) => string | undefined,
): EffectScan {
  const scan = scanEffects(fn, sourceOf);
  const direct = [...scan.references];
  for (const name of direct) {
    const helper = localFunctions.get(name);
    if (helper && helper !== fn) scanEffects(helper, sourceOf, scan);
  }
  return scan;
}

export default idempotency;
