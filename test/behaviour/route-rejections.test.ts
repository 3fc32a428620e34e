import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, copyTree } from '../helpers/cli';
import { ok, reset, startFake, status, type FakeDependency } from '../helpers/fake-dependency';
import { buildService, fixedCopy, request, startServer, type RunningServer } from '../helpers/run-service';

/*
 * A small Express 4 service of our own whose async routes (`app.get`, `app.route().get`, a
 * `router.post` in a router file) await a dependency with no try/catch. Unfixed, one failing
 * dependency call stops the whole process; fixed, the route answers 503 with Retry-After and
 * the process serves the next request.
 */
const SERVICE = path.join(REPO, 'test/fixtures/behaviour/quotes-service');

async function waitForExit(server: RunningServer, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (server.alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return !server.alive();
}

describe('an Express 4 service whose async routes await a dependency without try/catch', () => {
  let pricing: FakeDependency;
  beforeAll(async () => {
    pricing = await startFake();
  });
  afterAll(async () => {
    await pricing?.close();
  });

  it('before the fix: one reset connection of the pricing API stops the whole process', async () => {
    const dist = buildService(copyTree(SERVICE, 'hc-quotes-unfixed-'));
    const server = await startServer(path.join(dist, 'server.js'), { PRICING_URL: pricing.url });
    try {
      pricing.respond(ok({ symbol: 'ACME', bid: 1, ask: 2 }));
      expect((await request(`${server.url}/quotes/ACME`)).status).toBe(200);
      pricing.respond(reset);
      const res = await request(`${server.url}/quotes/ACME`, {}, 5_000);
      expect(res.status).not.toBe(503);
      expect(await waitForExit(server, 5_000)).toBe(true);
      expect(server.exitCode()).not.toBe(0);
      expect(server.output()).toMatch(/socket hang up|ECONNRESET|AxiosError/);
    } finally {
      await server.stop();
    }
  });

  describe('after the fix', () => {
    let server: RunningServer;
    beforeAll(async () => {
      const dist = buildService(fixedCopy(SERVICE, [], 'hc-quotes-fixed-'));
      server = await startServer(path.join(dist, 'server.js'), { PRICING_URL: pricing.url });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('still answers when the pricing API is healthy', async () => {
      pricing.respond(ok({ symbol: 'ACME', bid: 1, ask: 2 }));
      const res = await request(`${server.url}/quotes/ACME`);
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ symbol: 'ACME', bid: 1, ask: 2 });
    });

    it("leaves a permanent error of the dependency (its 404) to Express's own handler, not 503, and stays up", async () => {
      pricing.clear();
      pricing.respond(status(404));
      const res = await request(`${server.url}/quotes/NOPE`);
      // Express's handler answers with the error's own status (axios sets it from the 404)
      expect(res.status).toBe(404);
      expect(pricing.count('GET', '/quotes/NOPE')).toBe(1);
      expect(res.headers.get('retry-after')).toBeNull();
      expect(server.alive()).toBe(true);
    });
    it('answers 503 with Retry-After on every route style when the pricing API resets or answers 503, and stays up', async () => {
      for (const behaviour of [reset, status(503)]) {
        pricing.respond(behaviour);
        for (const [method, url] of [
          ['GET', '/quotes/ACME'],
          ['GET', '/rates/EUR'],
          ['POST', '/orders'],
        ] as const) {
          const init =
            method === 'POST'
              ? {
                  method,
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ symbol: 'ACME', quantity: 1 }),
                }
              : {};
          const res = await request(`${server.url}${url}`, init);
          expect(res.status, `${method} ${url}`).toBe(503);
          expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
          expect(res.elapsedMs).toBeLessThan(15_000);
          expect(server.alive()).toBe(true);
        }
      }
    });
  });
});
