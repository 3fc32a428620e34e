import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, copyTree } from '../helpers/cli';
import { ok, reset, startFake, status, type FakeDependency } from '../helpers/fake-dependency';
import { buildService, fixedCopy, request, startServer, type RunningServer } from '../helpers/run-service';

/*
 * A small service of our own with the same rates route in a Fastify app and in a Koa app.
 * Neither crashes when the rates API fails (both frameworks answer a rejected handler), but
 * their default answer is 500 for everything. Fixed, a dependency that is down or failing
 * answers 503 with Retry-After, a bug of the service still answers 500, and the process stays up.
 */
const SERVICE = path.join(REPO, 'test/fixtures/behaviour/rates-apps');
const SERVERS = ['fastify-server.js', 'koa-server.js'];

describe('Fastify and Koa apps whose routes call a dependency', () => {
  let rates: FakeDependency;
  let unfixed: string;
  let fixed: string;
  beforeAll(async () => {
    rates = await startFake();
    unfixed = buildService(copyTree(SERVICE, 'hc-rates-unfixed-'));
    fixed = buildService(fixedCopy(SERVICE, [], 'hc-rates-fixed-'));
  }, 120_000);
  afterAll(async () => {
    await rates?.close();
  });

  it.each(SERVERS)(
    'before the fix, %s answers 500 when the rates API resets (no 503, no Retry-After)',
    async (entry) => {
      const server = await startServer(path.join(unfixed, entry), { RATES_URL: rates.url });
      try {
        rates.respond(reset);
        const res = await request(`${server.url}/rates/EUR`);
        expect(res.status).toBe(500);
        expect(res.headers.get('retry-after')).toBeNull();
        expect(server.alive()).toBe(true);
      } finally {
        await server.stop();
      }
    },
  );

  describe.each(SERVERS)('after the fix, %s', (entry) => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(path.join(fixed, entry), { RATES_URL: rates.url });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('answers 200 while the rates API is healthy', async () => {
      rates.respond(ok({ code: 'EUR', rate: 1.08 }));
      const res = await request(`${server.url}/rates/EUR`);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ code: 'EUR', rate: 1.08 });
    });

    it('answers 503 with Retry-After when the rates API resets or answers 503, within bounded time, and stays up', async () => {
      for (const behaviour of [reset, status(503)]) {
        rates.respond(behaviour);
        const res = await request(`${server.url}/rates/EUR`);
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
        expect(res.elapsedMs).toBeLessThan(15_000);
        expect(server.alive()).toBe(true);
      }
    });

    it('still answers 500 for a failure of its own (not a dependency), without Retry-After', async () => {
      const res = await request(`${server.url}/broken`);
      expect(res.status).toBe(500);
      expect(res.headers.get('retry-after')).toBeNull();
      expect(server.alive()).toBe(true);
    });
  });
});
