export async function getUser(id: string) {
  // the users service answers JSON
  const res = await fetch(`https://users.example.com/users/${id}`);
  const user = await res.json();
  return user;
}

export async function ping(signal: AbortSignal): Promise<boolean> {
  const res = await fetch('https://status.example.com/ping', { method: 'HEAD', signal });
  return res.ok;
}

export async function total(): Promise<number> {
  return (await fetch('https://stats.example.com/total')).json();
}

export async function audit(body: string) {
  await fetch('https://audit.example.com/events', { method: 'POST', body });
}

export async function report(body: string) {
  // the body is read after a status check: skipped with the reason
  const res = await fetch('https://reports.example.com', { method: 'POST', body });
  if (!res.ok) throw new Error(`report failed: ${res.status}`);
  return res.json();
}

export async function raw(url: string) {
  // the Response leaves the function: skipped
  return fetch(url);
}
