import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../config/config-schema';
import { LIFT_NO_FIX } from '../checks/dlq-alarm';
import { fixIacFile } from '../fix-iac';
import { scanTexts } from './scan-fixture';

/* serverless-lift `constructs:`: a queue construct brings its own DLQ; the DLQ is alarmed only with `alarm:`. */

const lift = (extra: string) =>
  `service: s\nconstructs:\n  jobs:\n    type: queue\n${extra}    worker:\n      handler: src/worker.consumer\nfunctions:\n  producer:\n    handler: src/producer.handler\n    reservedConcurrency: 2\nplugins:\n  - serverless-lift\n`;

describe('serverless-lift queue constructs', () => {
  it('without alarm: dlq-without-alarm at the construct, no no-dlq, no redrive (lift has jobs:failed:retry); not rewritten, with the reason', () => {
    const text = lift('');
    const result = scanTexts({ 'serverless.yml': text }, ['src/worker.js']);
    expect(result.findings.map((f) => [f.ruleId, f.line, f.column])).toEqual([['dlq-without-alarm', 3, 3]]);
    expect(result.findings[0]!.message).toBe(
      'The dead-letter queue of the serverless-lift queue construct jobs has no alarm (no `alarm:` on the construct): failed jobs pile up unnoticed.',
    );
    const out = fixIacFile(
      { path: 'serverless.yml', absPath: '/project/serverless.yml', text },
      result.findings,
      defaultConfig(),
    );
    expect(out.after).toBe(text);
    expect(out.skipped.map((s) => s.reason)).toEqual([LIFT_NO_FIX]);
  });

  it('with alarm: nothing to report', () => {
    expect(scanTexts({ 'serverless.yml': lift('    alarm: ops@example.com\n') }, ['src/worker.js']).findings).toEqual(
      [],
    );
  });

  it('the worker is an SQS consumer handler of the service', () => {
    const handlers = scanTexts({ 'serverless.yml': lift('') }, ['src/worker.js']).handlers;
    expect(handlers.find((h) => h.exportName === 'consumer')).toMatchObject({
      file: 'src/worker.js',
      triggers: ['sqs'],
      functionName: 'jobsWorker',
    });
  });

  it('other construct types are not queues', () => {
    const text = 'service: s\nconstructs:\n  site:\n    type: static-website\n    path: public\n';
    expect(scanTexts({ 'serverless.yml': text }).findings).toEqual([]);
  });
});
