import type { APIGatewayProxyHandler } from 'aws-lambda';
import { isInfraFailure as infraDown } from './resilience/errors';
import { getUser } from './users';

export const handler: APIGatewayProxyHandler = async (event) => {
  const err = event.requestContext.requestId;
  try {
    const user = await getUser(event.pathParameters?.id);
    return { statusCode: 200, body: JSON.stringify(user) };
  } catch {
    const headers = { 'Content-Type': 'application/json', 'X-Request-Id': err };
    if (event.httpMethod === 'HEAD') {
      return { statusCode: 404, headers: { 'Content-Type': 'text/plain', 'Retry-After': '5' }, body: '' };
    }
    return { statusCode: 404, headers, body: JSON.stringify({ message: 'Not found' }) };
  }
};
