import { readFile } from 'node:fs/promises';

export async function loadPrices(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(6000) });
  return res.json();
}

export async function postOrder(url, order, signal) {
  return fetch(url, { method: 'POST', body: JSON.stringify(order), signal: AbortSignal.any([signal, AbortSignal.timeout(6000)]) });
}

export async function withDeadline(url) {
  return fetch(url, { signal: AbortSignal.timeout(2000) });
}

export async function manualDeadline(url) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 3000);
  try {
    return await fetch(url, { signal: controller.signal });
  } finally {
    clearTimeout(timer);
  }
}

export async function injected(fetch, url) {
  return fetch(url);
}

export const readAll = (urls) => Promise.all(urls.map((u) => fetch(u, { signal: AbortSignal.timeout(6000) }).then((r) => r.text())));

export async function config() {
  return JSON.parse(await readFile('config.json', 'utf8'));
}
