import { describe, expect, it } from 'vitest';
import {
  applyPhaseAnswer,
  buildPlan,
  deselect,
  findItem,
  planItems,
  select,
  selectedFindings,
  selectedTests,
  SHARED_MODULES,
  type Plan,
} from '../../src/planner/plan-model';
import { matchesDependency } from '../../src/planner/targeted';
import { canPrompt } from '../../src/planner/terminal';
import type { DependencyRef, Finding, Severity } from '../../src/types';

const PAYMENTS: DependencyRef = { name: 'payments API (axios instance payments)', category: 'external-api' };
const DYNAMO: DependencyRef = { name: 'DynamoDB', category: 'database' };

function finding(
  ruleId: string,
  severity: Severity,
  file: string,
  line: number,
  extra: Partial<Finding> = {},
): Finding {
  return {
    ruleId,
    severity,
    file,
    line,
    column: 3,
    endLine: line,
    endColumn: 9,
    message: `${ruleId} here`,
    fixable: true,
    ...extra,
  };
}

const FINDINGS: Finding[] = [
  finding('no-circuit-breaker', 'high', 'src/clients/payments.ts', 29, { dependency: PAYMENTS }),
  finding('no-retry', 'critical', 'src/clients/payments.ts', 40, { dependency: PAYMENTS }),
  finding('no-circuit-breaker', 'high', 'src/handlers/get-order.ts', 23, { dependency: DYNAMO }),
  finding('no-timeout', 'critical', 'src/clients/payments.ts', 12, { dependency: PAYMENTS }),
  finding('silent-error-swallow', 'critical', 'src/util/parse.ts', 8),
  finding('wrong-status-on-infra-failure', 'critical', 'src/server.ts', 28, { dependency: DYNAMO }),
  finding('unstructured-logging', 'medium', 'src/server.ts', 14),
  finding('no-idempotency', 'high', 'src/handlers/pay.ts', 21, { fixable: false }),
  finding('shared-mutable-state', 'high', 'src/lib/breaker.ts', 4, { fixable: false }),
  finding('no-dlq', 'high', 'serverless.yml', 58),
  finding('dlq-without-redrive', 'medium', 'serverless.yml', 73),
];

const id = (ruleId: string, file: string, line: number): string => `finding:${ruleId}:${file}:${line}:3`;
const TAXONOMY = 'module:error-taxonomy';
const POLICIES = 'module:policy-layer';
const WRAPS = [
  id('no-circuit-breaker', 'src/clients/payments.ts', 29),
  id('no-retry', 'src/clients/payments.ts', 40),
  id('no-circuit-breaker', 'src/handlers/get-order.ts', 23),
];
const CATCH_FIXES = [
  id('silent-error-swallow', 'src/util/parse.ts', 8),
  id('wrong-status-on-infra-failure', 'src/server.ts', 28),
];
const INDEPENDENT = [
  id('no-timeout', 'src/clients/payments.ts', 12),
  id('unstructured-logging', 'src/server.ts', 14),
  id('no-dlq', 'serverless.yml', 58),
  id('dlq-without-redrive', 'serverless.yml', 73),
];

const selectedIds = (plan: Plan): string[] =>
  planItems(plan)
    .filter((i) => i.selected)
    .map((i) => i.id)
    .sort();

describe('buildPlan', () => {
  const plan = buildPlan({ findings: FINDINGS });

  it('lists the six phases in the spec order, empty ones included', () => {
    expect(plan.phases.map((p) => p.phase)).toEqual(['4.1', '4.2', '4.3', '4.4', '4.5', '4.6']);
    expect(plan.phases.map((p) => p.title)).toEqual([
      'Error taxonomy',
      'Resilience policy layer',
      'Wrap each dependency (+ structured logging)',
      'Infrastructure hardening',
      'Operational tooling',
      'Failure-mode tests',
    ]);
    expect(plan.phases[5]!.groups).toEqual([]);
  });

  it('puts each item in its rule phase, grouped by dependency else file, shared modules first', () => {
    const layout = plan.phases.map((p) => [p.phase, p.groups.map((g) => [g.name, g.items.map((i) => i.label)])]);
    expect(layout).toEqual([
      [
        '4.1',
        [
          [SHARED_MODULES, ['error taxonomy module']],
          ['DynamoDB', ['wrong-status-on-infra-failure src/server.ts:28']],
          ['src/util/parse.ts', ['silent-error-swallow src/util/parse.ts:8']],
        ],
      ],
      [
        '4.2',
        [
          [SHARED_MODULES, ['policy layer module']],
          ['src/lib/breaker.ts', ['shared-mutable-state src/lib/breaker.ts:4']],
        ],
      ],
      [
        '4.3',
        [
          ['DynamoDB', ['no-circuit-breaker src/handlers/get-order.ts:23']],
          [
            'payments API (axios instance payments)',
            [
              'no-timeout src/clients/payments.ts:12',
              'no-retry src/clients/payments.ts:40',
              'no-circuit-breaker src/clients/payments.ts:29',
            ],
          ],
          ['src/handlers/pay.ts', ['no-idempotency src/handlers/pay.ts:21']],
          ['src/server.ts', ['unstructured-logging src/server.ts:14']],
        ],
      ],
      ['4.4', [['serverless.yml', ['no-dlq serverless.yml:58']]]],
      ['4.5', [['serverless.yml', ['dlq-without-redrive serverless.yml:73']]]],
      ['4.6', []],
    ]);
  });

  it('selects every fixable item and lists report-only findings unselectable', () => {
    const byId = new Map(planItems(plan).map((i) => [i.id, i]));
    for (const fixed of [TAXONOMY, POLICIES, ...WRAPS, ...CATCH_FIXES, ...INDEPENDENT])
      expect(byId.get(fixed)).toMatchObject({ selectable: true, selected: true });
    for (const reportOnly of [
      id('no-idempotency', 'src/handlers/pay.ts', 21),
      id('shared-mutable-state', 'src/lib/breaker.ts', 4),
    ]) {
      expect(byId.get(reportOnly)).toMatchObject({ selectable: false, selected: false, severity: 'high' });
    }
    expect(byId.get(WRAPS[0]!)).toMatchObject({
      severity: 'high',
      ruleId: 'no-circuit-breaker',
      file: 'src/clients/payments.ts',
      line: 29,
    });
  });

  it('records the prerequisites: wraps need the policy layer, which needs the taxonomy, as do the catch fixes', () => {
    const requires = (i: string) => findItem(plan, i)!.requires;
    for (const w of WRAPS) expect(requires(w)).toEqual([POLICIES]);
    expect(requires(POLICIES)).toEqual([TAXONOMY]);
    for (const f of CATCH_FIXES) expect(requires(f)).toEqual([TAXONOMY]);
    for (const f of [TAXONOMY, ...INDEPENDENT]) expect(requires(f)).toEqual([]);
  });

  it.each([
    ['only a timeout fix: no module item', [finding('no-timeout', 'critical', 'a.ts', 1)], []],
    ['only a catch fix: the taxonomy alone', [finding('silent-error-swallow', 'critical', 'a.ts', 1)], [TAXONOMY]],
    ['only a wrap: both modules', [finding('no-retry', 'critical', 'a.ts', 1)], [TAXONOMY, POLICIES]],
    ['a report-only wrap rule finding: none', [finding('no-retry', 'critical', 'a.ts', 1, { fixable: false })], []],
  ])('adds module items only when a fixable dependant needs them (%s)', (_name, findings, modules) => {
    expect(
      planItems(buildPlan({ findings }))
        .filter((i) => i.kind === 'module')
        .map((i) => i.id)
        .sort(),
    ).toEqual(modules);
  });
});

describe('deselect', () => {
  const plan = buildPlan({ findings: FINDINGS });

  it('dropping the taxonomy drops the catch fixes, the policy layer and every wrap, with the reason', () => {
    const r = deselect(plan, [TAXONOMY]);
    expect(r.alsoDropped.map((i) => i.id).sort()).toEqual([...CATCH_FIXES, POLICIES, ...WRAPS].sort());
    expect(r.reason).toMatch(/^also dropped 6 item\(s\) that need error taxonomy module: /);
    expect(r.reason).toContain('policy layer module');
    expect(r.reason).toContain('no-retry src/clients/payments.ts:40');
    expect(selectedIds(r.plan)).toEqual([...INDEPENDENT].sort());
    expect(findItem(plan, TAXONOMY)!.selected).toBe(true); // the input plan is not mutated
  });

  it('dropping the policy layer drops the wraps only', () => {
    const r = deselect(plan, [POLICIES]);
    expect(r.alsoDropped.map((i) => i.id).sort()).toEqual([...WRAPS].sort());
    expect(r.reason).toMatch(/that need policy layer module: /);
    expect(selectedIds(r.plan)).toEqual([TAXONOMY, ...CATCH_FIXES, ...INDEPENDENT].sort());
  });

  it.each([
    ['a wrap', WRAPS[0]!],
    ['a catch fix', CATCH_FIXES[0]!],
    ['an IaC fix', INDEPENDENT[2]!],
  ])('dropping %s drops nothing else and gives no reason', (_name, item) => {
    const r = deselect(plan, [item]);
    expect(r.alsoDropped).toEqual([]);
    expect(r.reason).toBe('');
    expect(findItem(r.plan, item)!.selected).toBe(false);
  });

  it('does not report dependants that were already unselected', () => {
    const first = deselect(plan, WRAPS);
    expect(deselect(first.plan, [POLICIES]).alsoDropped).toEqual([]);
  });

  it('rejects an unknown id', () => {
    expect(() => deselect(plan, ['finding:nope'])).toThrow('no plan item "finding:nope"');
  });
});

describe('select', () => {
  const none = deselect(buildPlan({ findings: FINDINGS }), [TAXONOMY, ...INDEPENDENT]).plan;

  it('selecting a wrap selects the policy layer and the taxonomy along, with the reason', () => {
    const r = select(none, [WRAPS[1]!]);
    expect(r.also.map((i) => i.id).sort()).toEqual([TAXONOMY, POLICIES]);
    expect(r.reason).toBe('also selected policy layer module, error taxonomy module: the chosen fixes need them');
    expect(selectedIds(r.plan)).toEqual([TAXONOMY, POLICIES, WRAPS[1]!].sort());
  });

  it('leaves report-only items unselected', () => {
    const reportOnly = id('no-idempotency', 'src/handlers/pay.ts', 21);
    expect(findItem(select(none, [reportOnly]).plan, reportOnly)!.selected).toBe(false);
  });

  it('selectedFindings returns the chosen findings only, never module items', () => {
    const plan = select(none, [CATCH_FIXES[0]!, INDEPENDENT[0]!]).plan;
    expect(
      selectedFindings(plan)
        .map((f) => `${f.ruleId}@${f.file}:${f.line}`)
        .sort(),
    ).toEqual(['no-timeout@src/clients/payments.ts:12', 'silent-error-swallow@src/util/parse.ts:8']);
    expect(selectedFindings(plan).every((f) => FINDINGS.includes(f))).toBe(true);
  });

  it('selectedFindings of a fresh plan is every fixable finding', () => {
    expect(new Set(selectedFindings(buildPlan({ findings: FINDINGS })))).toEqual(
      new Set(FINDINGS.filter((f) => f.fixable)),
    );
  });
});

describe('applyPhaseAnswer', () => {
  const plan = buildPlan({ findings: FINDINGS });

  it('unchecking the taxonomy in 4.1 drops the later wraps, and explains it', () => {
    const r = applyPhaseAnswer(plan, '4.1', []);
    expect(r.notes).toHaveLength(1);
    // the catch fixes were unchecked in the same answer: only the other phases' items are "also" dropped
    expect(r.notes[0]).toMatch(/^also dropped 4 item\(s\) that need error taxonomy module: policy layer module, /);
    expect(selectedIds(r.plan)).toEqual([...INDEPENDENT].sort());
  });

  it('unchecking only the taxonomy drops the catch fixes left checked beside it', () => {
    const r = applyPhaseAnswer(plan, '4.1', CATCH_FIXES);
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toMatch(/^also dropped 6 item\(s\) that need error taxonomy module: /);
    expect(selectedIds(r.plan)).toEqual([...INDEPENDENT].sort());
  });

  it('re-checking a wrap in 4.3 brings its modules back', () => {
    const dropped = applyPhaseAnswer(plan, '4.1', []).plan;
    const r = applyPhaseAnswer(dropped, '4.3', [WRAPS[2]!, INDEPENDENT[0]!, INDEPENDENT[1]!]);
    expect(r.notes).toEqual(['also selected policy layer module, error taxonomy module: the chosen fixes need them']);
    expect(selectedIds(r.plan)).toEqual([TAXONOMY, POLICIES, WRAPS[2]!, ...INDEPENDENT].sort());
  });
});

describe('targeted mode and terminal detection', () => {
  it.each([
    ['payments', FINDINGS[0]!, true],
    ['DYNAMODB', FINDINGS[2]!, true],
    ['src/util/parse', FINDINGS[4]!, true],
    ['payments', FINDINGS[2]!, false],
    ['dynamo', FINDINGS[4]!, false],
  ])('--dependency %s matches %s: %s', (name, f, expected) => {
    expect(matchesDependency(name)(f)).toBe(expected);
  });

  it.each([
    [{}, true, true, true],
    [{ CI: 'true' }, true, true, false],
    [{ CI: '1' }, true, true, false],
    [{ CI: 'false' }, true, true, true],
    [{}, false, true, false],
    [{}, true, false, false],
  ])('canPrompt(env %j, stdin TTY %s, stdout TTY %s) is %s', (env, stdin, stdout, expected) => {
    expect(canPrompt(env, { isTTY: stdin }, { isTTY: stdout })).toBe(expected);
  });
});

describe('buildPlan from a settled fix', () => {
  const left = new Map<Finding, string>([[FINDINGS[7]!, 'the handler writes through a client it receives']]);
  const tests = [{ key: 'payments-api', file: 'src/resilience/__tests__/payments-api.failure.test.ts' }];

  it('a module the fix does not create (it exists already) is no item, and nothing requires it', () => {
    const plan = buildPlan({ findings: FINDINGS }, { createdModules: new Set(['policy-layer']) });
    expect(findItem(plan, TAXONOMY)).toBeUndefined();
    expect(findItem(plan, POLICIES)!.requires).toEqual([]);
    for (const f of CATCH_FIXES) expect(findItem(plan, f)!.requires).toEqual([]);
  });

  it("report-only findings carry the fix step's reason", () => {
    const plan = buildPlan({ findings: FINDINGS }, { left });
    expect(findItem(plan, id('no-idempotency', 'src/handlers/pay.ts', 21))).toMatchObject({
      selectable: false,
      why: 'the handler writes through a client it receives',
    });
  });

  it('phase 4.6 lists the failure-mode tests as items of their own, selected, needing the policy layer', () => {
    const plan = buildPlan({ findings: FINDINGS }, { tests });
    const phase = plan.phases.find((p) => p.phase === '4.6')!;
    expect(phase.groups.map((g) => [g.name, g.items.map((i) => i.id)])).toEqual([
      ['failure-mode tests', ['tests:payments-api']],
    ]);
    expect(selectedTests(plan)).toEqual(new Set(['payments-api']));
    expect(selectedTests(applyPhaseAnswer(plan, '4.6', []).plan)).toEqual(new Set());
    // dropping the policy layer drops the tests with it, and says so
    const dropped = deselect(plan, [POLICIES]);
    expect(selectedTests(dropped.plan)).toEqual(new Set());
    expect(dropped.reason).toContain('failure-mode tests of payments-api');
  });
});
