import { describe, expect, it } from 'vitest';
import { markdownReport } from '../../src/report/markdown-report';
import { fixtureFindings, fixtureResult } from './report-fixture';

describe('markdownReport', () => {
  const md = markdownReport(fixtureResult());

  it('summarises, then lists findings by severity as table rows', () => {
    expect(md.split('\n').slice(0, 3)).toEqual([
      '# harden-codemod findings — orders-service',
      '',
      '**10 findings** (4 critical, 3 high, 3 medium) in 4 files scanned.',
    ]);
    expect(md.split('\n').filter((l) => l.startsWith('## '))).toEqual([
      '## Critical (4)',
      '## High (3)',
      '## Medium (3)',
    ]);
    expect(md).toContain(
      '| `src/payments.ts:6:21` | No timeout (`no-timeout`) | paymentsClient.post has no timeout | yes |',
    );
    expect(md).toContain(
      '| `src/handler.ts:4:1` | No idempotency (`no-idempotency`) | SQS handler main processes records without an idempotency key | no |',
    );
  });

  it('escapes table pipes and reports a clean scan plainly', () => {
    const f = { ...fixtureFindings()[0]!, message: 'a | b\nc' };
    expect(markdownReport(fixtureResult({ findings: [f] }))).toContain('| a \\| b c |');
    expect(markdownReport(fixtureResult({ findings: [] }))).toContain('No findings in 4 files scanned.');
  });

  it('lists files that could not be analysed, not skipped ones', () => {
    const notes = [
      { file: 'src/broken.ts', kind: 'parse-error' as const, message: 'Unexpected token', line: 3 },
      { file: 'dist/x.js', kind: 'skipped' as const, message: 'generated' },
    ];
    const out = markdownReport(fixtureResult({ notes }));
    expect(out).toContain('## Files not analysed (1)\n\n- `src/broken.ts:3` — parse-error: Unexpected token');
    expect(out).not.toContain('dist/x.js');
  });
});
