import { describe, expect, it } from 'vitest';
import { mergeMessages } from '../../src/report/text-report';

describe('one report line for the findings at one position', () => {
  it('says the shared words once when what differs is a short phrase', () => {
    expect(
      mergeMessages([
        'payments.get() to the payments API is not retried.',
        'payments.get() to the payments API has no circuit breaker.',
      ]),
    ).toBe('payments.get() to the payments API is not retried and has no circuit breaker.');
  });

  it('keeps whole sentences, joined by semicolons, when a part carries its own explanation', () => {
    const alarm =
      'Dead-letter queue OrdersDLQ has no CloudWatch alarm on depth > 0: failed messages pile up unnoticed.';
    const redrive =
      'Dead-letter queue OrdersDLQ has no redrive procedure in the repository: recovery after a fix is manual.';
    expect(mergeMessages([alarm, redrive])).toBe(
      'Dead-letter queue OrdersDLQ has no CloudWatch alarm on depth > 0: failed messages pile up unnoticed; Dead-letter queue OrdersDLQ has no redrive procedure in the repository: recovery after a fix is manual.',
    );
  });
});
