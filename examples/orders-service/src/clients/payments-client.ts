import axios from 'axios';

export interface ChargeRequest {
  orderId: string;
  customerId: string;
  amountCents: number;
  currency: string;
}

export interface Charge {
  chargeId: string;
  paymentId: string;
  status: 'authorized' | 'declined';
}

export type PaymentStatus = 'authorized' | 'captured' | 'refunded' | 'declined';

const payments = axios.create({ baseURL: process.env.PAYMENTS_URL });

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// The payments API drops connections while it deploys; keep trying until it is back.
// The order id doubles as the idempotency key, so a repeated charge is not billed twice.
export async function chargeCard(request: ChargeRequest): Promise<Charge> {
  while (true) {
    try {
      const { data } = await payments.post<Charge>('/charges', request, { headers: { 'Idempotency-Key': request.orderId } });
      return data;
    } catch (err) {
      console.error('charge failed, retrying', err);
      await sleep(1000);
    }
  }
}

export async function getPaymentStatus(paymentId: string): Promise<PaymentStatus | null> {
  try {
    const { data } = await payments.get<{ status: PaymentStatus }>(`/payments/${encodeURIComponent(paymentId)}`);
    return data.status;
  } catch (err) {
    console.error('could not read payment status', err);
    return null;
  }
}
