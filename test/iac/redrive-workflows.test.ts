import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultConfig } from '../../src/config/config-schema';
import { computeChanges } from '../../src/engine/compute-changes';
import { writeChanges } from '../../src/engine/write-changes';
import { serverlessQueueName, subQueueName } from '../../src/iac/redrive-workflows';
import { scan } from '../../src/scan/scan';

type Workflow = {
  name: string;
  on: {
    workflow_dispatch: {
      inputs: Record<string, { type: string; default?: unknown; options?: string[]; required?: boolean }>;
    };
  };
  jobs: { run: { steps: Array<{ run?: string; env?: Record<string, string> }> } };
};

const ORDERS = `service: orders-service
provider:
  name: aws
  runtime: nodejs20.x
  stage: \${opt:stage, 'prod'}
functions:
  worker:
    handler: src/worker.handler
    events:
      - sqs:
          arn: !GetAtt WorkQueue.Arn
          maximumConcurrency: 5
resources:
  Resources:
    WorkQueue:
      Type: AWS::SQS::Queue
      Properties:
        QueueName: \${self:service}-work-\${sls:stage}
        RedrivePolicy:
          deadLetterTargetArn: !GetAtt WorkDLQ.Arn
          maxReceiveCount: 3
    WorkDLQ:
      Type: AWS::SQS::Queue
      Properties:
        QueueName: \${self:service}-work-dlq-\${sls:stage}
    WorkDLQAlarm:
      Type: AWS::CloudWatch::Alarm
      Properties:
        Namespace: AWS/SQS
        MetricName: ApproximateNumberOfMessagesVisible
        Dimensions:
          - Name: QueueName
            Value: !GetAtt WorkDLQ.QueueName
`;

const BILLING = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Invoices:
    Type: AWS::SQS::Queue
    Properties:
      RedrivePolicy:
        deadLetterTargetArn: !GetAtt InvoicesDLQ.Arn
        maxReceiveCount: 3
  InvoicesDLQ:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub '\${AWS::StackName}-invoices-dlq'
  InvoicesDLQAlarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/SQS
      MetricName: ApproximateNumberOfMessagesVisible
      Dimensions:
        - Name: QueueName
          Value: !GetAtt InvoicesDLQ.QueueName
`;

function monorepo(): string {
  const top = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-redrive-'));
  fs.mkdirSync(path.join(top, '.git'));
  fs.mkdirSync(path.join(top, 'packages/orders/src'), { recursive: true });
  fs.mkdirSync(path.join(top, 'packages/billing'), { recursive: true });
  fs.writeFileSync(path.join(top, 'packages/orders/serverless.yml'), ORDERS);
  fs.writeFileSync(path.join(top, 'packages/orders/src/worker.js'), 'exports.handler = async () => {};\n');
  fs.writeFileSync(path.join(top, 'packages/billing/template.yaml'), BILLING);
  fs.writeFileSync(
    path.join(top, 'packages/billing/samconfig.toml'),
    'version = 0.1\n[default.deploy.parameters]\nstack_name = "billing-prod"\n',
  );
  return top;
}

async function fixPackage(root: string) {
  const config = defaultConfig();
  const result = scan({ root, config, paths: [root] });
  return { result, computed: await computeChanges(result, config, (f) => f.ruleId === 'dlq-without-redrive') };
}

describe('DLQ redrive workflows: where GitHub runs them, one per service, queues as they deploy', () => {
  it('resolves serverless and CloudFormation names, and leaves what only the deploy knows to the stack', () => {
    expect(serverlessQueueName('${self:service}-work-dlq-${sls:stage}', 'orders')).toBe('orders-work-dlq-${STAGE}');
    expect(serverlessQueueName("${self:service}-${opt:stage, 'dev'}-dlq", 'orders')).toBe('orders-${STAGE}-dlq');
    expect(serverlessQueueName('${self:custom.prefix}-dlq', 'orders')).toBeNull();
    expect(subQueueName('${AWS::StackName}-invoices-dlq')).toBe('${STACK}-invoices-dlq');
    expect(subQueueName('${Prefix}-dlq')).toBeNull();
  });

  it("writes each service's workflow to the repository root, with distinct names, and a second run adds nothing", async () => {
    const top = monorepo();
    const orders = await fixPackage(path.join(top, 'packages/orders'));
    const billing = await fixPackage(path.join(top, 'packages/billing'));
    const created = [...orders.computed.changes, ...billing.computed.changes].filter((c) => c.kind === 'create');
    expect(created.map((c) => c.file)).toEqual([
      '../../.github/workflows/dlq-redrive-orders-service.yml',
      '../../.github/workflows/dlq-redrive-billing-prod.yml',
    ]);
    expect(orders.computed.fixed.map((f) => f.ruleId)).toEqual(['dlq-without-redrive']);

    const ordersFlow = parse(created[0]!.after) as Workflow;
    expect(ordersFlow.name).toBe('DLQ redrive (orders-service)');
    expect(ordersFlow.on.workflow_dispatch.inputs.stage).toMatchObject({ type: 'string', default: 'prod' });
    expect(ordersFlow.on.workflow_dispatch.inputs.queue!.options).toEqual(['WorkDLQ']);
    const ordersRun = ordersFlow.jobs.run.steps.at(-1)!.run!;
    expect(ordersRun).toContain('STACK="orders-service-${STAGE}"');
    expect(ordersRun).toContain(`'WorkDLQ') name="orders-service-work-dlq-\${STAGE}" ;;`);
    expect(created[0]!.after).not.toMatch(/\$\{(self|sls|opt):/);

    const billingFlow = parse(created[1]!.after) as Workflow;
    expect(billingFlow.on.workflow_dispatch.inputs.stack).toMatchObject({ type: 'string', default: 'billing-prod' });
    expect(billingFlow.jobs.run.steps.at(-1)!.run).toContain(`'InvoicesDLQ') name="\${STACK}-invoices-dlq" ;;`);

    await writeChanges(path.join(top, 'packages/orders'), orders.computed.changes, { allowDirty: true });
    expect(fs.existsSync(path.join(top, '.github/workflows/dlq-redrive-orders-service.yml'))).toBe(true);
    const again = scan({
      root: path.join(top, 'packages/orders'),
      config: defaultConfig(),
      paths: [path.join(top, 'packages/orders')],
    });
    expect(again.findings.filter((f) => f.ruleId === 'dlq-without-redrive')).toEqual([]);
    // the billing service is not covered by the orders workflow
    const billingAgain = scan({
      root: path.join(top, 'packages/billing'),
      config: defaultConfig(),
      paths: [path.join(top, 'packages/billing')],
    });
    expect(billingAgain.findings.filter((f) => f.ruleId === 'dlq-without-redrive').map((f) => f.line)).toEqual([10]);
  });

  it('looks a queue CloudFormation names up by its logical id in the stack (CDK ids by prefix)', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-redrive-cdk-'));
    fs.mkdirSync(path.join(root, 'lib'));
    fs.writeFileSync(path.join(root, 'cdk.json'), '{ "app": "npx ts-node bin/app.ts" }\n');
    fs.writeFileSync(
      path.join(root, 'lib/stack.ts'),
      [
        "import * as cdk from 'aws-cdk-lib';",
        "import * as sqs from 'aws-cdk-lib/aws-sqs';",
        'export class S extends cdk.Stack {',
        '  constructor(scope: cdk.App, id: string) {',
        '    super(scope, id);',
        "    const dlq = new sqs.Queue(this, 'JobsDlq');",
        "    dlq.metricApproximateNumberOfMessagesVisible().createAlarm(this, 'A', { threshold: 1, evaluationPeriods: 1 });",
        "    new sqs.Queue(this, 'Jobs', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });",
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const { computed } = await fixPackage(root);
    const flow = computed.changes.find((c) => c.kind === 'create')!;
    expect(flow.file).toBe(
      `.github/workflows/dlq-redrive-${path
        .basename(root)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')}.yml`,
    );
    const w = parse(flow.after) as Workflow;
    expect(w.on.workflow_dispatch.inputs.stack).toMatchObject({ type: 'string', required: true });
    expect(w.jobs.run.steps.at(-1)!.run).toContain("starts_with(LogicalResourceId, '$QUEUE')");
    expect(w.jobs.run.steps.at(-1)!.run).toContain(`'JobsDlq') name="" ;;`);
  });
});
