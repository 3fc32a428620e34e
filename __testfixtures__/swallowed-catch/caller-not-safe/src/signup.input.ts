import { sendAudit } from './audit';

export async function signUp(user: string): Promise<{ user: string }> {
  // not awaited: the answer does not wait for the audit service
  sendAudit({ type: 'signup', user });
  return { user };
}
