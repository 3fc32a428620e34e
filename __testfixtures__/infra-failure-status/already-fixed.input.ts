import type { APIGatewayProxyResult } from 'aws-lambda';
import { isInfraFailure } from './resilience/errors';

export async function handler(): Promise<APIGatewayProxyResult> {
  try {
    const res = await fetch('https://inventory.internal/stock');
    return { statusCode: 200, body: await res.text() };
  } catch (err) {
    if (isInfraFailure(err)) {
      return { statusCode: 503, headers: { 'Retry-After': '30' }, body: JSON.stringify({ message: 'Service unavailable' }) };
    }
    return { statusCode: 404, body: '' };
  }
}

export function parseBody(body: string): APIGatewayProxyResult {
  try {
    return { statusCode: 200, body: JSON.stringify(JSON.parse(body)) };
  } catch {
    return { statusCode: 400, body: 'invalid JSON' };
  }
}

export async function remove(id: string): Promise<APIGatewayProxyResult> {
  try {
    await fetch(`https://inventory.internal/stock/${id}`, { method: 'DELETE' });
    return { statusCode: 204, body: '' };
  } catch (err) {
    return { statusCode: 500, body: String(err) };
  }
}
