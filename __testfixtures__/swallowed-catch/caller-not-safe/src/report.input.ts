import { sendAudit } from './audit';

export async function exportReport(user: string): Promise<string> {
  try {
    await sendAudit({ type: 'report', user });
  } catch (err) {
    throw new Error('report not audited', { cause: err });
  }
  return 'report.csv';
}
