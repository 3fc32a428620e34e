import { describe, expect, it } from 'vitest';
import { failureTestTargets } from '../../src/engine/failure-test-targets';
import { serviceFailureTestsSource } from '../../transforms/generators/failure-tests-source';

const CLIENT = `import axios from 'axios';
import { policyFor } from './resilience/policies';

const api = axios.create({ baseURL: process.env.ORDERS_API_URL, timeout: 5000 });
const RATES_URL = process.env.RATES_URL ?? 'https://rates.example.com';

export async function getOrder(id: string, verbose: boolean) {
  const { data } = await policyFor('orders-api').execute(({ signal }) => api.get(\`/orders/\${id}\`, { signal, params: { verbose } }));
  return data;
}

export async function placeOrder(order: { sku: string }) {
  return policyFor('orders-api').execute(({ signal }) => api.post('/orders', order, { signal }));
}

export async function pay(order: { id: string }) {
  return policyFor('orders-api').execute(({ signal }) => api.post('/payments', order, { signal, headers: { 'Idempotency-Key': order.id } }));
}

export async function rate(code: string) {
  const res = await policyFor('rates').execute(({ signal }) => fetch(\`\${RATES_URL}/\${code}\`, { signal, method: 'GET' }).then((r) => r.json()));
  return res;
}

async function internal() {
  return policyFor('orders-api').execute(({ signal }) => api.get('/internal', { signal }));
}

export async function retrying() {
  for (let i = 0; i < 3; i++) {
    await policyFor('orders-api').execute(({ signal }) => api.get('/x', { signal }));
  }
}

export async function hardCoded() {
  return policyFor('orders-api').execute(({ signal }) => fetch('https://orders.example.com/ping', { signal }));
}
`;

describe('what a generated failure test can call and fail at the transport', () => {
  const { targets, untestable } = failureTestTargets(CLIENT, 'src/orders.ts', new Set(['orders-api', 'rates']));

  it('finds the exported functions, their argument kinds, method, idempotency key and URL variable', () => {
    expect(targets.map((t) => [t.key, t.exportName, t.params.join(','), t.method, t.idempotencyKey, t.envVar])).toEqual(
      [
        ['orders-api', 'getOrder', 'string,boolean', 'GET', false, 'ORDERS_API_URL'],
        ['orders-api', 'placeOrder', 'other', 'POST', false, 'ORDERS_API_URL'],
        ['orders-api', 'pay', 'other', 'POST', true, 'ORDERS_API_URL'],
        ['rates', 'rate', 'string', 'GET', false, 'RATES_URL'],
      ],
    );
  });

  it('names why the other calls are not tested through the service', () => {
    expect(untestable.map((u) => u.reason)).toEqual([
      'no exported function of the module makes the call, so a test cannot call it',
      'the call sits in a hand-written retry loop, which the test would run as well',
      'its URL is not read from an environment variable, so a test cannot point it at a local fake',
    ]);
  });
});

describe('the generated service tests', () => {
  const base = {
    key: 'orders-api',
    runner: 'vitest' as const,
    typescript: true,
    commonjs: false,
    jestGlobals: false,
    policiesImport: '../policies',
    errorsImport: '../errors',
  };
  const target = {
    serviceImport: '../../orders',
    sourceFile: 'src/orders.ts',
    params: ['other' as const],
    envVar: 'ORDERS_API_URL',
  };

  it('expect a POST without an idempotency key to reach the dependency once, a keyed one to be retried with one key', () => {
    const text = serviceFailureTestsSource({
      ...base,
      targets: [
        { ...target, exportName: 'placeOrder', method: 'POST', idempotencyKey: false },
        { ...target, exportName: 'pay', method: 'POST', idempotencyKey: true },
      ],
    });
    expect(text).toContain(
      "it('sends a POST without an idempotency key once, even when it fails (a retry could repeat it)'",
    );
    // one import per module, however many of its functions are tested
    expect(text).toContain("const service = await import('../../orders');");
    const pay = text.slice(text.indexOf("describe('pay"));
    expect(pay).toContain('expect(requests).toHaveLength(settings.maxAttempts + 1);');
    expect(pay).toContain('expect(new Set(requests.map((r) => r.idempotencyKey)).size).toBe(1);');
    const place = text.slice(text.indexOf("describe('placeOrder"), text.indexOf("describe('pay"));
    expect(place.match(/expect\(requests\)\.toHaveLength\(1\);/g)).toHaveLength(4);
    expect(text).toContain('service.placeOrder(anyArgument())');
  });

  it("follow the call site's own options: a replaced loop's attempts and waits, a POST marked not idempotent", () => {
    const text = serviceFailureTestsSource({
      ...base,
      targets: [
        {
          ...target,
          exportName: 'track',
          method: 'GET',
          idempotencyKey: false,
          callOptions: { maxAttempts: 1, initialDelayMs: 500 },
        },
        { ...target, exportName: 'capture', method: 'POST', idempotencyKey: true, callOptions: { idempotent: false } },
      ],
    });
    const track = text.slice(text.indexOf("describe('track"), text.indexOf("describe('capture"));
    expect(track).toContain('expect(requests).toHaveLength(1 + 1);');
    expect(track).toContain('toBeLessThan((1 + 1) * settings.timeoutMs + (1 + 1 - 1) * 500 + 1_000)');
    const capture = text.slice(text.indexOf("describe('capture"));
    expect(capture.match(/expect\(requests\)\.toHaveLength\(1\);/g)).toHaveLength(4);
  });

  it('in JavaScript with Jest and CommonJS: require, jest.resetModules, no type syntax', () => {
    const text = serviceFailureTestsSource({
      ...base,
      runner: 'jest',
      typescript: false,
      commonjs: true,
      targets: [{ ...target, exportName: 'getOrder', params: ['string'], method: 'GET', idempotencyKey: false }],
    });
    expect(text).toContain("const http = require('node:http');");
    expect(text).toContain('jest.resetModules();');
    expect(text).toContain("const service = require('../../orders');");
    expect(text).not.toMatch(/: Socket|as AddressInfo|<void>|import type/);
    expect(text).toContain("service.getOrder('test-1')");
  });
});
