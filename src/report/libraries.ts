import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { loadCatalog, PHASES } from '../catalog/catalog';
import { formatZodError } from '../config/zod-errors';

const recommendedSchema = z
  .object({
    name: z.string().min(1),
    npm: z.string().regex(/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, 'must be an npm package name'),
    version: z.string().regex(/^[\^~]?\d+\.\d+\.\d+$/, 'must be a semver range like ^3.2.1'),
    purpose: z.string().min(1),
    why: z.string().min(1),
    phases: z.array(z.enum(PHASES)).min(1),
    rules: z.array(z.string()).default([]),
    core: z.boolean().default(false),
    homepage: z.string().url(),
    /** date and source of the figures `why` states (downloads, versions, stars) */
    asOf: z.string().min(1).optional(),
    /** what code using it needs: the lowest Node.js major (the Lambda runtime) and TypeScript version */
    requires: z
      .object({
        node: z.number().int().positive().optional(),
        typescript: z
          .string()
          .regex(/^\d+\.\d+$/, 'must be a version like 4.5')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const rejectedSchema = z
  .object({
    name: z.string().min(1),
    /** absent for practices rather than packages (custom implementations, setInterval probes) */
    npm: z.string().optional(),
    why: z.string().min(1),
    asOf: z.string().min(1).optional(),
  })
  .strict();

const librariesSchema = z
  .object({
    version: z.literal(1),
    recommended: z.array(recommendedSchema).min(1),
    doNotRecommend: z.array(rejectedSchema).default([]),
  })
  .strict();

/** Figures that are true only at a date: download counts, star counts, "last updated". */
const TIME_BOUND_FIGURE = /\bdownloads?\b|\bstars?\b|last (updated|published|release)|\d+\s*[kKmM]\+?\s/;

export type RecommendedLibrary = z.output<typeof recommendedSchema>;
export type RejectedLibrary = z.output<typeof rejectedSchema>;
export type Libraries = z.output<typeof librariesSchema>;

/**
 * Parses and checks config/libraries.yaml. Beyond the shape, it refuses a package that is both
 * recommended and rejected, and rule ids the catalog does not know; errors name the key.
 */
export function parseLibraries(text: string, file: string, knownRuleIds?: ReadonlySet<string>): Libraries {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
  const parsed = librariesSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new Error(formatZodError(file, parsed.error));
  const data = parsed.data;
  const rejected = new Set(data.doNotRecommend.flatMap((r) => (r.npm ? [r.npm] : [])));
  const seen = new Set<string>();
  // figures that age (downloads, stars, "last updated") are printed only with their date and source
  const dated = (why: string, asOf: string | undefined, key: string): void => {
    if (!asOf && TIME_BOUND_FIGURE.test(why))
      throw new Error(
        `${file}: ${key}.why states figures that change over time; give their date and source in ${key}.asOf`,
      );
  };
  data.recommended.forEach((lib, i) => dated(lib.why, lib.asOf, `recommended.${i}`));
  data.doNotRecommend.forEach((lib, i) => dated(lib.why, lib.asOf, `doNotRecommend.${i}`));
  data.recommended.forEach((lib, i) => {
    if (rejected.has(lib.npm))
      throw new Error(`${file}: recommended.${i}.npm: "${lib.npm}" is also listed under doNotRecommend`);
    if (seen.has(lib.npm)) throw new Error(`${file}: recommended.${i}.npm: duplicate library "${lib.npm}"`);
    seen.add(lib.npm);
    lib.rules.forEach((id, j) => {
      if (knownRuleIds && !knownRuleIds.has(id))
        throw new Error(`${file}: recommended.${i}.rules.${j}: unknown rule id "${id}"`);
    });
  });
  return data;
}

function findLibrariesFile(): string {
  // src/report -> ../../config ; dist/src/report -> ../../../config
  const candidates = [
    path.resolve(__dirname, '../..', 'config', 'libraries.yaml'),
    path.resolve(__dirname, '../../..', 'config', 'libraries.yaml'),
  ];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`libraries list not found (looked in ${candidates.join(', ')})`);
  return found;
}

let cached: Libraries | null = null;

export function loadLibraries(): Libraries {
  if (cached) return cached;
  const file = findLibrariesFile();
  cached = parseLibraries(fs.readFileSync(file, 'utf8'), file, new Set(loadCatalog().rules.map((r) => r.id)));
  return cached;
}

/** The libraries to recommend, in file order; never one that is also rejected. */
export function recommendedLibraries(): RecommendedLibrary[] {
  const { recommended, doNotRecommend: rejected } = loadLibraries();
  const banned = new Set(rejected.flatMap((r) => (r.npm ? [r.npm] : [])));
  return recommended.filter((lib) => !banned.has(lib.npm));
}

export function doNotRecommend(): RejectedLibrary[] {
  return loadLibraries().doNotRecommend;
}

/** The core libraries plus those whose rules have findings. */
export function librariesFor(ruleIds: Iterable<string>): RecommendedLibrary[] {
  const ids = new Set(ruleIds);
  return recommendedLibraries().filter((lib) => lib.core || lib.rules.some((r) => ids.has(r)));
}

/** A library's reason with the date of its figures, as documents print it. */
export function whyText(lib: { why: string; asOf?: string }): string {
  return lib.asOf ? `${lib.why} (as of ${lib.asOf})` : lib.why;
}
