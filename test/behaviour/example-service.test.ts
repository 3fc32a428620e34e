import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE } from '../helpers/cli';
import {
  awsEnvFor,
  dynamoOperation,
  ok,
  reset,
  startFake,
  status,
  type FakeDependency,
} from '../helpers/fake-dependency';
import {
  buildService,
  fixedCopy,
  invokeHandler,
  request,
  startServer,
  type RunningServer,
} from '../helpers/run-service';

/*
 * The fixed example, built and run against local fakes of its dependencies: the server must
 * answer 503 (not 404, not a hang) when a dependency fails, within a bounded time, and stay up.
 */
describe('the fixed example server under dependency failure', () => {
  let fakes: { aws: FakeDependency; shipping: FakeDependency; payments: FakeDependency; inventory: FakeDependency };
  let server: RunningServer;

  beforeAll(async () => {
    const dir = fixedCopy(EXAMPLE);
    const dist = buildService(dir);
    fakes = {
      aws: await startFake(),
      shipping: await startFake(),
      payments: await startFake(),
      inventory: await startFake(),
    };
    server = await startServer(path.join(dist, 'server.js'), {
      ...awsEnvFor(fakes.aws),
      SHIPPING_URL: fakes.shipping.url,
      PAYMENTS_URL: fakes.payments.url,
      INVENTORY_URL: fakes.inventory.url,
      ORDERS_TABLE: 'orders',
    });
  });

  afterAll(async () => {
    await server?.stop();
    await Promise.all(Object.values(fakes ?? {}).map((f) => f.close()));
  });

  it('answers an order from DynamoDB when it is healthy', async () => {
    fakes.aws.respond((req) =>
      dynamoOperation(req) === 'GetItem'
        ? ok({ Item: { orderId: { S: 'o-1' }, status: { S: 'PAID' }, totalCents: { N: '1200' } } })
        : ok(),
    );
    const res = await request(`${server.url}/orders/o-1`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ orderId: 'o-1', status: 'PAID', totalCents: 1200 });
  });

  it('answers 503 with Retry-After, not 404, when DynamoDB resets every connection, and stays up', async () => {
    fakes.aws.respond(reset);
    const res = await request(`${server.url}/orders/o-2`);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.elapsedMs).toBeLessThan(15_000);
    expect(server.alive()).toBe(true);
  });

  it('answers a payment status from the payments API when it is healthy', async () => {
    fakes.payments.respond(ok({ status: 'captured' }));
    const res = await request(`${server.url}/payments/p-1`);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ paymentId: 'p-1', status: 'captured' });
  });

  it('keeps its 404 when the payments API says the payment does not exist (the route still reads null as not found)', async () => {
    fakes.payments.clear();
    fakes.payments.respond(status(404));
    const res = await request(`${server.url}/payments/p-missing`);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toEqual({ message: 'payment not found' });
    // a 404 is permanent: asked once, not retried
    expect(fakes.payments.count('GET', '/payments/p-missing')).toBe(1);
    expect(server.alive()).toBe(true);
  });

  it('answers 503 with Retry-After, not a crash or a fake 404, when the payments API answers 503 or resets, across many requests', async () => {
    const answers: number[] = [];
    for (const behaviour of [status(503), reset]) {
      fakes.payments.respond(behaviour);
      for (let i = 0; i < 6; i++) {
        const res = await request(`${server.url}/payments/p-${i}`);
        answers.push(res.status);
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(res.elapsedMs).toBeLessThan(15_000);
        expect(server.alive()).toBe(true);
      }
    }
    expect(answers).toHaveLength(12);
    expect(server.alive()).toBe(true);
    // the server still answers its other routes afterwards
    fakes.aws.respond((req) =>
      dynamoOperation(req) === 'GetItem'
        ? ok({ Item: { orderId: { S: 'o-9' }, status: { S: 'PAID' }, totalCents: { N: '100' } } })
        : ok(),
    );
    expect((await request(`${server.url}/orders/o-9`)).status).toBe(200);
  });

  it('answers 503 when the shipping API answers 503, within a bounded time, and stays up', async () => {
    fakes.shipping.respond(status(503));
    const res = await request(`${server.url}/orders/o-3/tracking`);
    expect(res.status).toBe(503);
    expect(res.elapsedMs).toBeLessThan(15_000);
    expect(fakes.shipping.count('GET')).toBeGreaterThanOrEqual(1);
    expect(server.alive()).toBe(true);
  });
});

describe('the fixed example Lambda handlers under dependency failure', () => {
  let aws: FakeDependency;
  let dist: string;

  beforeAll(async () => {
    dist = buildService(fixedCopy(EXAMPLE));
    aws = await startFake();
  });
  afterAll(async () => {
    await aws?.close();
  });

  it('getOrder answers 503 with Retry-After when DynamoDB resets connections, in bounded time', async () => {
    aws.respond(reset);
    const run = await invokeHandler(
      path.join(dist, 'handlers/get-order.js'),
      'handler',
      { pathParameters: { id: 'o-1' } },
      { ...awsEnvFor(aws), ORDERS_TABLE: 'orders' },
    );
    expect(run.exitCode).toBe(0);
    expect(run.result).toMatchObject({ statusCode: 503, headers: { 'Retry-After': expect.any(String) } });
    expect(run.elapsedMs).toBeLessThan(20_000);
    expect(aws.count('POST')).toBeGreaterThanOrEqual(1);
  });
});
