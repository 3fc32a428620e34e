import axios from 'axios';

export async function sync(url: string) {
  // the partner API is slow on Mondays
  const res = await axios.get(url, {
    // auth is added by the gateway
    headers: { accept: 'application/json' }, // JSON only
    timeout: 6000,
  });
  /* stream the body */
  const body = await fetch(url /* same host */, { signal: AbortSignal.timeout(6000) });
  return { res, body };
}
