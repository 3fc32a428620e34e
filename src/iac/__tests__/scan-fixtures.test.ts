import { describe, expect, it } from 'vitest';
import { scanFixture, spots } from './scan-fixture';

describe('scanIac over fixture projects', () => {
  const invalid: Array<{ name: string; expected: string[] }> = [
    {
      name: 'serverless',
      expected: [
        'unbounded-concurrency@serverless.yml:10', // createOrder: no reservedConcurrency
        // (processOrder and auditOrder have reserved concurrency: their sqs events are bounded by it)
        'no-dlq@serverless.yml:23', // auditOrder: eventBridge-triggered, no destinations.onFailure
        'no-event-replay@serverless.yml:29', // framework-created bus without archive
        'no-dlq@serverless.yml:36', // OrdersQueue: no RedrivePolicy
        'no-dlq@serverless.yml:41', // PaymentsQueue: maxReceiveCount 10
        'dlq-without-alarm@serverless.yml:47',
        'dlq-without-redrive@serverless.yml:47',
      ],
    },
    {
      name: 'sam',
      expected: [
        'no-dlq@template.yaml:14', // async (schedule, eventbridge rule) without OnFailure
        // (ShipFunction consumes a queue: bounded at its event source, no reserved concurrency)
        'unbounded-concurrency@template.yaml:24', // SQS event without ScalingConfig
        // (maxReceiveCount 5 on a queue that triggers a function: throttled receives count, not too high)
        'dlq-without-alarm@template.yaml:40',
        'dlq-without-redrive@template.yaml:40',
        'no-event-replay@template.yaml:46', // archive keeps 7 days
        'no-event-replay@template.yaml:51', // AuditBus: no archive
        'no-dlq@template.yaml:55', // rule target without DeadLetterConfig
      ],
    },
    {
      name: 'cfn-json',
      expected: [
        'no-dlq@template.json:4',
        // (IngestFunction consumes IngestQueue through the mapping: bounded there)
        'unbounded-concurrency@template.json:19', // EventSourceMapping without ScalingConfig
      ],
    },
    {
      name: 'cdk',
      expected: [
        'no-dlq@lib/stack.ts:12',
        // (maxReceiveCount 5 on Work, which triggers Worker: not too high; Worker is bounded at its event source)
        'dlq-without-alarm@lib/stack.ts:13',
        'dlq-without-redrive@lib/stack.ts:13',
        'unbounded-concurrency@lib/stack.ts:25', // SqsEventSource without maxConcurrency
        'no-event-replay@lib/stack.ts:27',
      ].sort(),
    },
  ];
  it.each(invalid)('$name: reports exactly the expected findings', ({ name, expected }) => {
    const result = scanFixture(name);
    expect(result.notes).toEqual([]);
    expect([...spots(result)].sort()).toEqual([...expected].sort());
  });

  const valid = ['serverless-compliant', 'sam-compliant', 'cdk-compliant', 'look-alikes'];
  it.each(valid)('%s: compliant or non-IaC look-alikes stay silent', (name) => {
    const result = scanFixture(name);
    expect(spots(result)).toEqual([]);
    expect(result.notes).toEqual([]);
  });

  it('messages say why, with the count when maxReceiveCount is too high', () => {
    const f = scanFixture('serverless').findings.find((x) => x.line === 41)!;
    expect(f.message).toContain('maxReceiveCount 10 (> 3)');
    expect(f.data).toMatchObject({
      fix: 'lower-max-receive',
      format: 'serverless',
      path: ['resources', 'Resources', 'PaymentsQueue'],
    });
  });

  it('reports kinds and resolves handlers to existing source files with their triggers', () => {
    const sam = scanFixture('sam');
    expect(sam.kinds).toEqual(['sam']);
    expect(sam.handlers).toEqual([
      {
        file: 'src/ship.ts',
        exportName: 'handler',
        triggers: ['sqs', 'schedule', 'eventbridge'],
        functionName: 'ShipFunction',
        source: 'iac',
        declaredAt: { file: 'template.yaml', line: 14 },
      },
    ]);
    const sls = scanFixture('serverless');
    expect(sls.kinds).toEqual(['serverless']);
    expect(sls.handlers.map((h) => [h.functionName, h.file, h.exportName, h.triggers.join('+')])).toEqual([
      ['createOrder', 'src/handlers/create-order.ts', 'handler', 'http'],
      ['processOrder', 'src/handlers/process-order.js', 'handler', 'sqs'],
      ['auditOrder', 'src/handlers/audit.js', 'handler', 'sqs+eventbridge'],
    ]);
    expect(scanFixture('cfn-json').kinds).toEqual(['cloudformation']);
    const cdk = scanFixture('cdk');
    expect(cdk.kinds).toEqual(['cdk']);
    expect(cdk.handlers.map((h) => [h.functionName, h.file, h.exportName, h.triggers.join('+')])).toEqual([
      ['Worker', 'src/worker.ts', 'handler', 'sqs'],
    ]);
  });
});
