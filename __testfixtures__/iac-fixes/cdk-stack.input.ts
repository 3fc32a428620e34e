import * as cdk from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as events from 'aws-cdk-lib/aws-events';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import * as path from 'node:path';

export class OrdersStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const intake = new sqs.Queue(this, 'Intake');
    const dlq = new sqs.Queue(this, 'WorkDlq');
    // a redrive count above 3
    const work = new sqs.Queue(this, 'Work', {
      visibilityTimeout: cdk.Duration.seconds(60),
      deadLetterQueue: { queue: dlq, maxReceiveCount: 5 },
    });

    const worker = new NodejsFunction(this, 'Worker', {
      entry: path.join(__dirname, '../src/worker.ts'),
      timeout: cdk.Duration.seconds(30),
    });
    worker.addEventSource(
      new SqsEventSource(work, { batchSize: 10 }),
    );
    const bus = new events.EventBus(this, 'Bus', { eventBusName: 'orders' });
    void intake;
    void bus;
  }
}
