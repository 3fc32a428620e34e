import axios from 'axios';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// the catch decides from the error what to retry: the policy's choice may differ
export async function a(id: string): Promise<unknown> {
  for (let i = 0; i < 3; i++) {
    try {
      return (await axios.get(`https://a.example.com/${id}`, { timeout: 6000 })).data;
    } catch (err: any) {
      if (err.response?.status === 404) return null;
      await sleep(500);
    }
  }
  throw new Error('a unavailable');
}

// two calls retried together
export async function b(id: string): Promise<unknown> {
  while (true) {
    try {
      const user = (await axios.get(`https://b.example.com/users/${id}`, { timeout: 6000 })).data;
      return (await axios.get(`https://b.example.com/orders/${user.id}`, { timeout: 6000 })).data;
    } catch {
      await sleep(500);
    }
  }
}

// a limit out of sight
export async function c(id: string, retries: number): Promise<unknown> {
  for (let i = 0; i < retries; i++) {
    try {
      return (await axios.get(`https://c.example.com/${id}`, { timeout: 6000 })).data;
    } catch {
      await sleep(500);
    }
  }
  throw new Error('c unavailable');
}
