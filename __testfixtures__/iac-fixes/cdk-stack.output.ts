import * as cdk from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as events from 'aws-cdk-lib/aws-events';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import * as path from 'node:path';

import * as cloudwatch_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';

export class OrdersStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    const intakeDlq = new sqs.Queue(this, 'IntakeDLQ', { retentionPeriod: cdk.Duration.days(14) });
    const intakeDlqDepthAlarm = intakeDlq.metricApproximateNumberOfMessagesVisible().createAlarm(this, 'IntakeDLQDepthAlarm', { threshold: 1, evaluationPeriods: 1 });

    if (this.node.tryGetContext('alarmTopicArn')) {
      // the SNS topic that pages on-call, given at deploy time: cdk deploy -c alarmTopicArn=arn:aws:sns:…
      intakeDlqDepthAlarm.addAlarmAction(new cloudwatch_actions.SnsAction(sns.Topic.fromTopicArn(this, 'IntakeDLQAlarmTopic', this.node.tryGetContext('alarmTopicArn'))));
    }

    const intake = new sqs.Queue(this, 'Intake', {
      deadLetterQueue: {
        queue: intakeDlq,
        maxReceiveCount: 3,
      },
    });
    const dlq = new sqs.Queue(this, 'WorkDlq');
    const dlqDepthAlarm = dlq.metricApproximateNumberOfMessagesVisible().createAlarm(this, 'WorkDlqDepthAlarm', { threshold: 1, evaluationPeriods: 1 });

    if (this.node.tryGetContext('alarmTopicArn')) {
      // the SNS topic that pages on-call, given at deploy time: cdk deploy -c alarmTopicArn=arn:aws:sns:…
      dlqDepthAlarm.addAlarmAction(new cloudwatch_actions.SnsAction(sns.Topic.fromTopicArn(this, 'WorkDlqAlarmTopic', this.node.tryGetContext('alarmTopicArn'))));
    }

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
      new SqsEventSource(work, {
        batchSize: 10,
        maxConcurrency: 5,
      }),
    );
    const bus = new events.EventBus(this, 'Bus', { eventBusName: 'orders' });
    bus.archive('BusArchive', { eventPattern: { account: [cdk.Stack.of(this).account] }, retention: cdk.Duration.days(14) });
    void intake;
    void bus;
  }
}
