export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export interface OrderLine {
  sku: string;
  quantity: number;
  unitPriceCents: number;
}

export interface OrderRequest {
  currency: string;
  lines: OrderLine[];
  totalCents: number;
}

function isOrderLine(value: unknown): value is OrderLine {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as Record<string, unknown>;
  return (
    typeof line.sku === 'string' &&
    Number.isInteger(line.quantity) && (line.quantity as number) > 0 &&
    Number.isInteger(line.unitPriceCents) && (line.unitPriceCents as number) >= 0
  );
}

/** Validates a POST /orders body; the caller answers 400 with `error` when it is not ok. */
export function parseOrderRequest(body: string | null): ParseResult<OrderRequest> {
  if (!body) return { ok: false, error: 'request body is required' };
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return { ok: false, error: 'request body is not valid JSON' };
  }
  const { currency, lines } = (raw ?? {}) as { currency?: unknown; lines?: unknown };
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    return { ok: false, error: 'currency must be an ISO 4217 code' };
  }
  if (!Array.isArray(lines) || lines.length === 0 || !lines.every(isOrderLine)) {
    return { ok: false, error: 'lines must be a non-empty list of { sku, quantity, unitPriceCents }' };
  }
  const totalCents = lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
  return { ok: true, value: { currency, lines, totalCents } };
}

/** Reads a JSON response body, naming the URL when the body is not JSON. */
export function readJson<T>(res: Response): Promise<T> {
  return (res.json() as Promise<T>).catch((err: unknown) => {
    throw new Error(`response from ${res.url} is not valid JSON`, { cause: err });
  });
}
