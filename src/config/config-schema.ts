import { z } from 'zod';

const severityOrOff = z.enum(['critical', 'high', 'medium', 'low', 'off']);

/** The user's config file (harden-codemod.config.json|yaml or the "harden-codemod" key of package.json). */
export const configSchema = z
  .object({
    severity: z.record(z.string(), severityOrOff).default({}),
    ignore: z.array(z.string()).default([]),
    include: z.array(z.string()).default([]),
    exclude: z.array(z.string()).default([]),
    includeTests: z.boolean().default(false),
    /**
     * Code files larger than this (characters) are not parsed: they get a note instead, so that
     * one huge generated file cannot hold up a run. Detection is linear in file size (about 1-2 s
     * per MB on a loaded 2-core machine).
     */
    maxFileBytes: z.number().int().positive().default(2_000_000),
    /**
     * Report findings in scripts run by hand (local harnesses, operator, seed and migration
     * scripts, CLIs: see src/files/file-role.ts). Off: they are not service code and get none.
     */
    includeScripts: z.boolean().default(false),
    /** hosts or URL prefixes that count as internal APIs (the rest are external) */
    internalHosts: z.array(z.string()).default([]),
    /** where generated modules go, relative to a package root; default: src/ when it exists */
    sourceRoot: z.string().optional(),
    /**
     * A POST or PATCH without an idempotency key is never retried. With `true`, the fix adds an
     * `Idempotency-Key` header made once per call and retries it: only for APIs that honour the header.
     */
    idempotencyKeys: z.boolean().default(false),
    timeouts: z
      .object({
        httpMs: z.number().int().positive().default(5000),
        awsRequestMs: z.number().int().positive().default(5000),
        awsConnectionMs: z.number().int().positive().default(1000),
        databaseMs: z.number().int().positive().default(5000),
      })
      .strict()
      .default({}),
    retry: z
      .object({
        maxAttempts: z.number().int().min(1).max(10).default(3),
        initialDelayMs: z.number().int().positive().default(200),
        maxDelayMs: z.number().int().positive().default(5000),
      })
      .strict()
      .default({}),
    breaker: z
      .object({
        consecutiveFailures: z.number().int().min(1).default(5),
        halfOpenAfterMs: z.number().int().positive().default(30000),
      })
      .strict()
      .default({}),
    concurrency: z
      .object({
        /**
         * Reserved concurrency to add, only where set: a number for every function that is not
         * API-fronted, a queue/stream consumer, a custom resource or scheduled, or a value per
         * function name (any function). Absent: none is added and the finding says how to size it.
         */
        reserved: z.union([z.number().int().min(1), z.record(z.string(), z.number().int().min(0))]).optional(),
        /** maximumConcurrency added to SQS event sources (2-1000) */
        sqsMaximum: z.number().int().min(2).max(1000).default(5),
      })
      .strict()
      .default({}),
    dlq: z
      .object({
        /** maxReceiveCount of an added RedrivePolicy, and the highest one left as it is */
        maxReceiveCount: z.number().int().min(1).max(1000).default(3),
        /**
         * the same on a queue that triggers a Lambda function whose event source has no
         * maximumConcurrency: throttled receives count too, so AWS advises at least 5
         */
        lambdaMaxReceiveCount: z.number().int().min(1).max(1000).default(5),
      })
      .strict()
      .default({}),
    /** Implement mode asks before starting above these sizes */
    largeCodebase: z
      .object({
        files: z.number().int().positive().default(500),
        findings: z.number().int().positive().default(200),
      })
      .strict()
      .default({}),
  })
  .strict();

export type UserConfig = z.input<typeof configSchema>;
export type ResolvedConfig = z.output<typeof configSchema> & { configFile: string | null };

export function defaultConfig(): ResolvedConfig {
  return { ...configSchema.parse({}), configFile: null };
}
