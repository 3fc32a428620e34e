import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

/**
 * What a reviewer wrote down for one line of a real service, before the scanner ran on it:
 * - finding: a line a careful reviewer marks, placed where the catalog says the finding goes;
 * - look-alike: code that resembles the anti-pattern but is fine; a finding here is wrong;
 * - false-positive: a scanner finding judged wrong after the scan (kept so scores reproduce).
 */
export const LABEL_KINDS = ['finding', 'look-alike', 'false-positive'] as const;
export type LabelKind = (typeof LABEL_KINDS)[number];

const entrySchema = z
  .object({
    file: z.string().min(1),
    line: z.number().int().positive(),
    /** last line of a multi-line statement the finding may be reported on (default: line) */
    endLine: z.number().int().positive().optional(),
    /**
     * other lines where a reviewer accepts the same finding, when the catalog allows two places
     * (a function's timeout or the API method in front of it; a consumer's handler export or
     * its side-effect write): one finding on any of them matches, a second is a duplicate
     */
    alt: z.array(z.number().int().positive()).min(1).optional(),
    rule: z.string().min(1),
    kind: z.enum(LABEL_KINDS),
    reason: z.string().min(1),
    /** the class of code this line belongs to, so misses and noise group into a to-do list */
    class: z.string().min(1).optional(),
  })
  .strict()
  .refine((e) => e.endLine === undefined || e.endLine >= e.line, { message: 'endLine is before line' });

export const serviceLabelsSchema = z
  .object({
    service: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/),
    repository: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
    commit: z.string().regex(/^[0-9a-f]{40}$/),
    /** path of the scanned folder inside the repository ('' = the whole repository) */
    scope: z.string(),
    heldOut: z.boolean(),
    /** what the service covers: IaC format, SDK version, language, triggers */
    covers: z.array(z.string()).min(1),
    /** source and IaC files read to write the labels */
    filesRead: z.number().int().nonnegative(),
    notes: z.string().optional(),
    entries: z.array(entrySchema),
  })
  .strict();

export type LabelEntry = z.infer<typeof entrySchema>;
export type ServiceLabels = z.infer<typeof serviceLabelsSchema>;

/** Reads and validates one labels file; errors name the file. */
export function readLabels(file: string): ServiceLabels {
  const parsed = serviceLabelsSchema.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Every labels file of a folder, in name order. */
export function readLabelsDir(dir: string): ServiceLabels[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readLabels(path.join(dir, f)));
}

/** The folder under --root holding a checkout of the repository (`owner+name`, as the mirrors name it). */
export function checkoutDir(root: string, labels: ServiceLabels): string {
  return path.join(root, labels.repository.replace('/', '+'), labels.scope);
}
