import Router from '@koa/router';
import { jwtVerify, createRemoteJWKSet } from 'jose';

const jwks = createRemoteJWKSet(new URL('https://auth.example.com/jwks'));
export const router = new Router();

router.get('/me', async (ctx) => {
  try {
    const { payload } = await jwtVerify(String(ctx.get('authorization')), jwks);
    ctx.body = payload;
  } catch (err) {
    ctx.status = 401;
    ctx.body = { message: 'Unauthorized' };
  }
});

router.get('/admin', async (ctx) => {
  try {
    await jwtVerify(String(ctx.get('authorization')), jwks);
  } catch {
    ctx.throw(403, 'Forbidden');
  }
});
