import type { Request, Response } from 'express';
import { isInfraFailure } from './resilience/errors';
import { verifyToken } from './auth';

/** GET /profile: the caller's profile. */
export async function profile(req: Request, res: Response): Promise<void> {
  try {
    // the auth service also checks revocation
    const user = await verifyToken(req.headers.authorization);
    res.json(user);
  } catch (e) {
    // log without the token
    req.log?.warn({ err: e }, 'auth failed');
    if (isInfraFailure(e)) {
      res.status(503).set('Retry-After', '30').json({ message: 'Service unavailable' });
      return;
    }
    /* clients treat 401 as "log in again" */
    res.status(401).json({ message: 'Unauthorized' }); // see docs/auth.md
  }
}
