export async function getProfile(id: string): Promise<{ name: string } | undefined> {
  try {
    const res = await fetch(`https://profiles.internal/${id}`, { signal: AbortSignal.timeout(2000) });
    return (await res.json()) as { name: string };
  } catch (err) {
    console.error('profile lookup failed', err);
    return undefined;
  }
}
