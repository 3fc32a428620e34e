import { policyFor, throwOnTransientStatus } from './resilience/policies';
export async function getUser(id: string) {
  // the users service answers JSON
  const user = await policyFor('users.example.com').execute(async ({ signal }) => {
    const res = throwOnTransientStatus(await fetch(`https://users.example.com/users/${id}`, { signal }));
    return res.json();
  });
  return user;
}

export async function ping(signal: AbortSignal): Promise<boolean> {
  const res = await policyFor('status.example.com').execute(({ signal: policySignal }) => fetch('https://status.example.com/ping', { method: 'HEAD', signal: AbortSignal.any([signal, policySignal]) }));
  return res.ok;
}

export async function total(): Promise<number> {
  return policyFor('stats.example.com').execute(async ({ signal }) => throwOnTransientStatus(await fetch('https://stats.example.com/total', { signal })).json());
}

export async function audit(body: string) {
  await policyFor('audit.example.com', { idempotent: false }).execute(({ signal }) => fetch('https://audit.example.com/events', { method: 'POST', body, signal }));
}

export async function report(body: string) {
  // the body is read after a status check: skipped with the reason
  return policyFor('reports.example.com', { idempotent: false }).execute(async ({ signal }) => {
    const res = throwOnTransientStatus(await fetch('https://reports.example.com', { method: 'POST', body, signal }));
    if (!res.ok) throw new Error(`report failed: ${res.status}`);
    return res.json();
  });
}

export async function raw(url: string) {
  // the Response leaves the function: skipped
  return fetch(url);
}
