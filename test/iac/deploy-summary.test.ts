import { describe, expect, it } from 'vitest';
import { deploySummaryLines } from '../../src/engine/deploy-summary';

describe('the end of the fix summary', () => {
  it('states the reserved concurrency added, then what to supply before the next deploy', () => {
    expect(
      deploySummaryLines({ reservedConcurrencyAdded: 30, beforeDeploy: ['template.yaml: the SNS topic …'] }),
    ).toEqual([
      '  reserved concurrency added: 30 in total (the account keeps at least 100 executions unreserved)',
      '  before the next deploy:',
      '    - template.yaml: the SNS topic …',
    ]);
  });

  it('says nothing when nothing was reserved and nothing is needed', () => {
    expect(deploySummaryLines({ reservedConcurrencyAdded: 0, beforeDeploy: [] })).toEqual([]);
  });
});
