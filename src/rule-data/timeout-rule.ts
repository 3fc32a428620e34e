import { z } from 'zod';
import type { Finding } from '../types';

/*
 * The typed finding data of no-timeout: what the detector learned about the client or call
 * with no deadline, so that the timeout fix writes the option where the client takes it
 * without classifying the client again. Read back through the schema; anything else (an older
 * cache entry) reads as "no facts", and the fix leaves the node alone.
 */

/** Where a client-table row (config/clients.yaml) takes its options: an argument index, or the last argument. */
export const optionsSlotSchema = z.union([z.number().int().nonnegative(), z.literal('last')]);

export const timeoutDataSchema = z.object({
  /** the client kind ('axios', 'fetch', 'aws-sdk'...) or the id of its client-table row */
  client: z.string(),
  /** a client made once ('instance' of an HTTP library, any other 'client'), the library's defaults, or one call */
  form: z.enum(['instance', 'client', 'defaults', 'call']),
  /** source text of the constructor, factory or function called */
  callee: z.string().optional(),
  /** the variable holding the client */
  variable: z.string().optional(),
  /** the module the client comes from (`@aws-sdk/client-sqs`, `aws-sdk`, `stripe`) */
  module: z.string().optional(),
  /** how the client is made: `new X()` or a factory call */
  made: z.enum(['new', 'factory']).optional(),
  /** the client-table row that describes the client, and where its options go */
  table: z.object({ id: z.string(), options: optionsSlotSchema }).optional(),
});
export type TimeoutData = z.infer<typeof timeoutDataSchema>;

export function timeoutData(finding: Pick<Finding, 'data'>): TimeoutData | null {
  const parsed = timeoutDataSchema.safeParse(finding.data);
  return parsed.success ? parsed.data : null;
}
