import Router from '@koa/router';
import { isInfraFailure } from './resilience/errors';
import { jwtVerify, createRemoteJWKSet } from 'jose';

const jwks = createRemoteJWKSet(new URL('https://auth.example.com/jwks'));
export const router = new Router();

router.get('/me', async (ctx) => {
  try {
    const { payload } = await jwtVerify(String(ctx.get('authorization')), jwks);
    ctx.body = payload;
  } catch (err) {
    if (isInfraFailure(err)) {
      ctx.status = 503;
      ctx.set('Retry-After', '30');
      ctx.body = { message: 'Service unavailable' };
      return;
    }
    ctx.status = 401;
    ctx.body = { message: 'Unauthorized' };
  }
});

router.get('/admin', async (ctx) => {
  try {
    await jwtVerify(String(ctx.get('authorization')), jwks);
  } catch (err) {
    if (isInfraFailure(err)) {
      ctx.throw(503, 'Service unavailable', { headers: { 'Retry-After': '30' } });
    }
    ctx.throw(403, 'Forbidden');
  }
});
