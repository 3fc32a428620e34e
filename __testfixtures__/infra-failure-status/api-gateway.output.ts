import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { isInfraFailure } from './resilience/errors';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const jwks = createRemoteJWKSet(new URL('https://auth.example.com/.well-known/jwks.json'));
const corsHeaders = { 'Access-Control-Allow-Origin': '*' };

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  try {
    const { payload } = await jwtVerify(event.headers.authorization ?? '', jwks);
    return { statusCode: 200, headers: corsHeaders, body: JSON.stringify({ sub: payload.sub }) };
  } catch (err) {
    console.warn('token rejected', err);
    if (isInfraFailure(err)) {
      return { statusCode: 503, headers: { ...corsHeaders, 'Retry-After': '30' }, body: JSON.stringify({ message: 'Service unavailable' }) };
    }
    return { statusCode: 401, headers: corsHeaders, body: JSON.stringify({ message: 'Unauthorized' }) };
  }
};
