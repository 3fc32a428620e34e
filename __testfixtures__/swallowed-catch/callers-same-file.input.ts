import express from 'express';
import Fastify from 'fastify';
import Router from '@koa/router';

const app = express();
const fastify = Fastify();

// awaited in a try/catch by its only caller: may reject
async function loadPrices(): Promise<number[]> {
  try {
    const res = await fetch('https://prices.internal/all', { signal: AbortSignal.timeout(2000) });
    return (await res.json()) as number[];
  } catch (err) {
    console.error('prices unavailable', err);
    return [];
  }
}

export async function cheapest(): Promise<number | undefined> {
  try {
    return Math.min(...(await loadPrices()));
  } catch (err) {
    throw new Error('no prices', { cause: err });
  }
}

// an Express 4 route without try/catch awaits it: a rethrow would crash the server
async function loadUser(id: string): Promise<{ id: string } | null> {
  try {
    const res = await fetch(`https://users.internal/users/${id}`, { signal: AbortSignal.timeout(2000) });
    return (await res.json()) as { id: string };
  } catch (err) {
    console.error('user lookup failed', err);
    return null;
  }
}

app.get('/users/:id', async (req, res) => {
  const user = await loadUser(req.params.id);
  res.json(user ?? {});
});

// called and forgotten: a rejection would be unhandled
async function recordVisit(page: string): Promise<boolean> {
  try {
    await fetch(`https://stats.internal/visits/${page}`, { method: 'POST', signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

export function visit(page: string): void {
  recordVisit(page);
}

// `.then` with no `.catch`, and nothing awaits the chain
async function loadBanner(): Promise<string> {
  try {
    const res = await fetch('https://cms.internal/banner', { signal: AbortSignal.timeout(2000) });
    return await res.text();
  } catch (err) {
    console.warn('banner unavailable', err);
    return '';
  }
}

export function showBanner(el: { text: string }): void {
  loadBanner().then((text) => {
    el.text = text;
  });
}

// a Fastify route: Fastify answers a rejected handler itself; the caller reads 0 back
async function loadStock(sku: string): Promise<number> {
  try {
    const res = await fetch(`https://stock.internal/${sku}`, { signal: AbortSignal.timeout(2000) });
    return Number(await res.text());
  } catch (err) {
    console.error('stock unavailable', err);
    return 0;
  }
}

fastify.get('/stock/:sku', async (request) => {
  const available = await loadStock((request.params as { sku: string }).sku);
  return { available, soldOut: available === 0 };
});

// a Koa route: Koa answers a rejected middleware itself
const router = new Router();

async function loadReviews(sku: string): Promise<string[]> {
  try {
    const res = await fetch(`https://reviews.internal/${sku}`, { signal: AbortSignal.timeout(2000) });
    return (await res.json()) as string[];
  } catch (err) {
    console.error('reviews unavailable', err);
    return [];
  }
}

router.get('/reviews/:sku', async (ctx) => {
  ctx.body = { reviews: await loadReviews(ctx.params.sku) };
});

// the default is read back right where the promise settles: only outages may reject
async function errorMessage(res: Response): Promise<string> {
  const body = (await res.json().catch(() => ({}))) as { error?: string };
  return body.error ?? `status ${res.status}`;
}

export async function explain(res: Response): Promise<string> {
  try {
    return await errorMessage(res);
  } catch (err) {
    throw new Error('no error message', { cause: err });
  }
}
