import fs from 'node:fs';
import path from 'node:path';
import { diffArrays } from 'diff';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../config/config-schema';
import { fixIacFile } from '../fix-iac';
import { parseYaml } from '../yaml-tags';
import { scanTexts } from './scan-fixture';
import { templateProblems } from '../../../test/helpers/template-structure';

const DIR = path.resolve(__dirname, '../../../__testfixtures__/iac-fixes');

/** input lines the fix rewrote (all other input lines must survive, in order) */
const cases: Array<{ input: string; as: string; changed: string[]; remaining: string[] }> = [
  {
    input: 'serverless-mixed.input.yml',
    as: 'serverless.yml',
    // processOrder and auditOrder have reserved concurrency: their sqs events are bounded and left as written
    changed: ['          maxReceiveCount: 10'],
    // createOrder answers HTTP: reported with API guidance, never given a blanket limit
    remaining: ['unbounded-concurrency@10', 'no-dlq@23', 'dlq-without-redrive@44', 'dlq-without-redrive@69'],
  },
  {
    input: 'sam-mixed.input.yaml',
    as: 'template.yaml',
    // maxReceiveCount 5 stays: the queue triggers ShipFunction (throttled receives count)
    changed: ['      RetentionDays: 7'],
    remaining: ['no-dlq@20', 'dlq-without-redrive@48', 'no-dlq@83'],
  },
  {
    input: 'cfn-long-form.input.yaml',
    as: 'template.yaml',
    changed: [],
    remaining: ['dlq-without-redrive@21', 'dlq-without-redrive@50', 'unbounded-concurrency@79'],
  },
  {
    input: 'serverless-crlf.input.yml',
    as: 'serverless.yml',
    changed: ['      - sqs: arn:aws:sqs:eu-west-1:1:q'],
    remaining: [],
  },
];

const tagCount = (text: string) => (text.match(/![A-Z][A-Za-z]+/g) ?? []).length;

describe('fixIacFile on YAML', () => {
  it.each(cases)('$input', ({ input, as, changed, remaining }) => {
    const text = fs.readFileSync(path.join(DIR, input), 'utf8');
    const expected = fs.readFileSync(path.join(DIR, input.replace('.input.', '.output.')), 'utf8');
    const scan = scanTexts({ [as]: text });
    const out = fixIacFile({ path: as, absPath: `/project/${as}`, text }, scan.findings, defaultConfig());
    if (process.env.UPDATE_FIXTURES) fs.writeFileSync(path.join(DIR, input.replace('.input.', '.output.')), out.after);
    expect(out.after).toBe(expected);
    expect(out.fixed.length + out.skipped.length).toBe(scan.findings.length);

    // minimal: every original line is still there, in order, except the ones the fix rewrote
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const removed = diffArrays(text.split(eol), out.after.split(eol))
      .filter((p) => p.removed)
      .flatMap((p) => p.value);
    expect(removed).toEqual(changed);
    expect(out.after.includes('\r\n')).toBe(text.includes('\r\n'));
    expect(out.after.replace(/\r\n/g, '').includes('\n')).toBe(!text.includes('\r\n'));

    // re-parses, keeps every comment and tag; every reference resolves and no parameter is required input
    expect(parseYaml(out.after).ok).toBe(true);
    expect(templateProblems(as, out.after, text)).toEqual([]);
    for (const comment of text.match(/#.*$/gm) ?? []) expect(out.after).toContain(comment);
    expect(tagCount(out.after)).toBeGreaterThanOrEqual(tagCount(text));

    // what is left is what cannot be fixed in the file; a second run changes nothing
    const again = scanTexts({ [as]: out.after });
    expect(again.findings.map((f) => `${f.ruleId}@${f.line}`)).toEqual(remaining);
    expect(
      fixIacFile({ path: as, absPath: `/project/${as}`, text: out.after }, again.findings, defaultConfig()).after,
    ).toBe(out.after);
  });

  it('skips, with a reason, what it cannot fix safely', () => {
    const text = fs.readFileSync(path.join(DIR, 'cfn-long-form.input.yaml'), 'utf8');
    const scan = scanTexts({ 'template.yaml': text });
    const out = fixIacFile({ path: 'template.yaml', absPath: '', text }, scan.findings, defaultConfig());
    expect(out.skipped.map((s) => [s.finding.ruleId, s.finding.line, s.reason])).toEqual([
      ['unbounded-concurrency', 20, 'the target is not a block map that can take new keys'],
    ]);
  });

  it('uses the configured concurrency numbers: maximumConcurrency on the queue consumer, reserved only where configured', () => {
    const text =
      'service: s\nfunctions:\n  a:\n    handler: a.handler\n    events:\n      - sqs:\n          arn: x\n  b:\n    handler: b.handler\n    events:\n      - sns: t\n    destinations:\n      onFailure: arn:aws:sqs:eu-west-1:1:f\n';
    const config = defaultConfig();
    config.concurrency = { reserved: 3, sqsMaximum: 7 };
    const scan = scanTexts({ 'serverless.yml': text }, [], config);
    const out = fixIacFile({ path: 'serverless.yml', absPath: '', text }, scan.findings, config);
    expect(out.after).toBe(
      text.replace('arn: x\n', 'arn: x\n          maximumConcurrency: 7\n') + '    reservedConcurrency: 3\n',
    );
    expect(out.reservedAdded).toBe(3);
    // without a configured value nothing is reserved: the finding stays, with how to size it
    const plain = scanTexts({ 'serverless.yml': text });
    const b = plain.findings.find((f) => f.line === 8)!;
    expect(b).toMatchObject({ ruleId: 'unbounded-concurrency', data: { fix: null, fixable: false } });
    expect(b.message).toContain('set concurrency.reserved');
    expect(
      fixIacFile({ path: 'serverless.yml', absPath: '', text }, plain.findings, defaultConfig()).after,
    ).not.toContain('reservedConcurrency');
  });

  it('adds a resources section to a serverless file without one, at the end', () => {
    const text =
      'service: s\nfunctions:\n  a:\n    handler: a.handler\n    reservedConcurrency: 1\n    events:\n      - eventBridge:\n          eventBus: orders\n          pattern: { source: [x] }\n      - sns: t\n    destinations:\n      onFailure: arn:aws:sqs:eu-west-1:1:failed\n';
    const scan = scanTexts({ 'serverless.yml': text });
    expect(scan.findings.map((f) => f.ruleId)).toEqual(['no-event-replay']);
    const out = fixIacFile({ path: 'serverless.yml', absPath: '', text }, scan.findings, defaultConfig());
    expect(out.after).toBe(
      `${text}resources:\n  Resources:\n    OrdersArchive:\n      Type: AWS::Events::Archive\n      Properties:\n        SourceArn: arn:aws:events:\${aws:region}:\${aws:accountId}:event-bus/orders\n        RetentionDays: 14\n`,
    );
    expect(scanTexts({ 'serverless.yml': out.after }).findings).toEqual([]);
  });
});
