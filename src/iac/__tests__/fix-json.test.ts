import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { defaultConfig } from '../../config/config-schema';
import { fixIacFile } from '../fix-iac';
import { FIXTURES, scanTexts } from './scan-fixture';
import { templateProblems } from '../../../test/helpers/template-structure';

it('fixes a CloudFormation JSON template: valid JSON, same key order, nothing left but the redrive workflow', () => {
  const text = fs.readFileSync(path.join(FIXTURES, 'cfn-json/template.json'), 'utf8');
  const scan = scanTexts({ 'template.json': text });
  const out = fixIacFile({ path: 'template.json', absPath: '', text }, scan.findings, defaultConfig());
  // IngestFunction consumes IngestQueue: bounded at its mapping (MaximumConcurrency), not with reserved concurrency
  expect(out.fixed.map((f) => f.ruleId)).toEqual(['no-dlq', 'unbounded-concurrency']);
  const json = JSON.parse(out.after) as { Resources: Record<string, { Properties: Record<string, unknown> }> };
  expect(Object.keys(json.Resources)).toEqual([
    'IngestQueue',
    'IngestQueueDLQ',
    'IngestQueueDLQDepthAlarm',
    'IngestFunction',
    'IngestMapping',
    'Bus',
    'BusArchive',
  ]);
  // the queue triggers a function: 5, so that throttled receives do not dead-letter healthy messages
  expect(json.Resources.IngestQueue!.Properties.RedrivePolicy).toEqual({
    deadLetterTargetArn: { 'Fn::GetAtt': ['IngestQueueDLQ', 'Arn'] },
    maxReceiveCount: 5,
  });
  expect((json as unknown as { Parameters: Record<string, unknown> }).Parameters.AlarmTopicArn).toMatchObject({
    Type: 'String',
    Default: '',
  });
  expect((json.Resources.IngestQueueDLQDepthAlarm!.Properties as Record<string, unknown>).AlarmActions).toEqual({
    'Fn::If': ['HasAlarmTopic', [{ Ref: 'AlarmTopicArn' }], { Ref: 'AWS::NoValue' }],
  });
  expect(out.after.endsWith('}\n')).toBe(true);
  expect(templateProblems('template.json', out.after, text)).toEqual([]);
  expect(scanTexts({ 'template.json': out.after }).findings.map((f) => f.ruleId)).toEqual(['dlq-without-redrive']);
});
