/**
 * A generated API client: `count` exported functions numbered from `from`, each calling one
 * axios instance (no timeout, no retry, no breaker): the shape of large generated client files.
 */
export function generatedClient(from: number, count: number): string {
  let text = "import axios from 'axios';\nconst api = axios.create({ baseURL: process.env.API_URL });\n";
  for (let i = from; i < from + count; i++) {
    text += `export async function get${i}(id: string) {\n  const res = await api.get(\`/items/${i}/\${id}\`);\n  return res.data;\n}\n`;
  }
  return text;
}
