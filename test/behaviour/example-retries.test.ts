import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXAMPLE } from '../helpers/cli';
import { awsEnvFor, ok, startFake, status, type FakeDependency } from '../helpers/fake-dependency';
import {
  buildService,
  fixedCopy,
  invokeHandler,
  request,
  startServer,
  type RunningServer,
} from '../helpers/run-service';

/*
 * The bundled example after `fix --yes`, run against local fakes: its hand-written retry loops
 * (chargeCard's `while (true)` around a POST with an Idempotency-Key, getTracking's `for` loop
 * around a fetch) are replaced by the policy, never nested in it, and make no more attempts than
 * before; processPayment's capture POST, which has no key, is never retried.
 */
describe('the fixed example: retries', () => {
  let dir: string;
  let dist: string;
  let aws: FakeDependency;
  let payments: FakeDependency;
  let shipping: FakeDependency;

  beforeAll(async () => {
    dir = fixedCopy(EXAMPLE, [], 'hc-example-retries-');
    dist = buildService(dir);
    [aws, payments, shipping] = await Promise.all([startFake(), startFake(), startFake()]);
  });
  afterAll(async () => {
    await Promise.all([aws, payments, shipping].map((f) => f?.close()));
  });
  beforeEach(() => {
    for (const f of [aws, payments, shipping]) f.clear();
  });

  it("replaces both hand-written loops by one policy call each, with the loop's limit, never a policy inside a loop", () => {
    const charge = fs.readFileSync(path.join(dir, 'src/clients/payments-client.ts'), 'utf8');
    const tracking = fs.readFileSync(path.join(dir, 'src/clients/shipping-client.ts'), 'utf8');
    expect(charge).not.toMatch(/while \(true\)/);
    expect(tracking).not.toMatch(/for \(let i/);
    expect(charge).toContain("policyFor('payments-api', { initialDelayMs: 1000 }).execute(");
    expect(tracking).toContain(
      "policyFor('shipping-api', { maxAttempts: 2, initialDelayMs: 500 }).execute(async ({ signal }) => {",
    );
    expect(tracking).toContain('throwOnTransientStatus(await fetch(url, { signal }))');
  });

  it('chargeCard retries its POST with the same Idempotency-Key on every attempt, and gives up (it looped forever before)', async () => {
    payments.respond((_req, i) =>
      i < 2 ? status(503) : ok({ chargeId: 'ch-1', paymentId: 'p-1', status: 'authorized' }),
    );
    const request = { orderId: 'order-42', customerId: 'c-1', amountCents: 1200, currency: 'EUR' };
    const run = await invokeHandler(path.join(dist, 'clients/payments-client.js'), 'chargeCard', request, {
      PAYMENTS_URL: payments.url,
      LOG_LEVEL: 'SILENT',
    });
    expect(run.result).toMatchObject({ chargeId: 'ch-1' });
    expect(payments.requests.map((r) => r.headers['idempotency-key'])).toEqual(['order-42', 'order-42', 'order-42']);

    payments.clear();
    payments.respond(status(503));
    const down = await invokeHandler(
      path.join(dist, 'clients/payments-client.js'),
      'chargeCard',
      request,
      { PAYMENTS_URL: payments.url, LOG_LEVEL: 'SILENT' },
      40_000,
    );
    expect(down.exitCode).toBe(0);
    expect(down.error).toMatchObject({ name: 'TransientError' });
    // cockatiel counts retries: the configured 3 means 4 calls, all with the order's key
    expect(payments.count('POST', '/charges')).toBe(4);
    expect(new Set(payments.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set(['order-42']));
  });

  it('processPayment sends the capture POST (no idempotency key) once, even when the payments API answers 503', async () => {
    aws.respond(ok({}));
    payments.respond(status(503));
    const event = {
      Records: [
        {
          messageId: 'm-1',
          receiptHandle: 'r',
          attributes: {},
          messageAttributes: {},
          md5OfBody: '',
          eventSource: 'aws:sqs',
          eventSourceARN: 'arn:aws:sqs:eu-west-1:1:q',
          awsRegion: 'eu-west-1',
          body: JSON.stringify({ orderId: 'o-1', paymentId: 'p-1', amountCents: 1200, currency: 'EUR' }),
        },
      ],
    };
    const run = await invokeHandler(path.join(dist, 'handlers/process-payment.js'), 'handler', event, {
      ...awsEnvFor(aws),
      PAYMENTS_URL: payments.url,
      ORDERS_TABLE: 'orders',
      IDEMPOTENCY_TABLE: 'idempotency',
      LOG_LEVEL: 'SILENT',
    });
    expect(run.exitCode, run.output).toBe(0);
    expect(payments.count('POST', '/payments/p-1/capture')).toBe(1);
  });

  describe('the server', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(path.join(dist, 'server.js'), {
        ...awsEnvFor(aws),
        SHIPPING_URL: shipping.url,
        PAYMENTS_URL: payments.url,
        INVENTORY_URL: payments.url,
        ORDERS_TABLE: 'orders',
        LOG_LEVEL: 'SILENT',
      });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('tracking against a shipping API that answers 503: 3 calls as the loop made, then 503, and the server stays up', async () => {
      shipping.respond(status(503));
      const res = await request(`${server.url}/orders/o-9/tracking`);
      expect(res.status).toBe(503);
      expect(shipping.count('GET')).toBe(3);
      expect(server.alive()).toBe(true);
    });
  });
});
