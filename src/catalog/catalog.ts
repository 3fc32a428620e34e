import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { formatZodError } from '../config/zod-errors';
import type { Severity } from '../types';

export const PHASES = ['4.1', '4.2', '4.3', '4.4', '4.5', '4.6'] as const;
export type Phase = (typeof PHASES)[number];

const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case'),
    title: z.string().min(1),
    severity: z.enum(['critical', 'high', 'medium', 'low']),
    area: z.string().min(1),
    phase: z.enum(PHASES),
    detector: z.string().min(1),
    transform: z.string().optional(),
    impact: z.string().min(1),
    fix: z.string().min(1),
    references: z.array(z.string()).default([]),
    /** the seed document that asks for it; default 000 (the core spec) */
    source: z.string().default('000'),
  })
  .strict();

const catalogSchema = z.object({ version: z.literal(1), rules: z.array(ruleSchema).min(1) }).strict();

export type CatalogRule = z.output<typeof ruleSchema>;

export interface Catalog {
  rules: CatalogRule[];
  byId: Map<string, CatalogRule>;
  /** the catalog file's content hash, for caches */
  version: string;
}

export const CATALOG_FILE = path.resolve(__dirname, '../../..', 'config', 'anti-patterns.yaml');

function findCatalogFile(): string {
  // dist/src/catalog -> ../../../config ; src/catalog -> ../../config
  const candidates = [CATALOG_FILE, path.resolve(__dirname, '../..', 'config', 'anti-patterns.yaml')];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`catalog not found (looked in ${candidates.join(', ')})`);
  return found;
}

let cached: Catalog | null = null;

export function parseCatalog(text: string, file: string): Catalog {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
  const parsed = catalogSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new Error(formatZodError(file, parsed.error));
  const byId = new Map<string, CatalogRule>();
  for (const rule of parsed.data.rules) {
    if (byId.has(rule.id)) throw new Error(`${file}: duplicate rule id "${rule.id}"`);
    byId.set(rule.id, rule);
  }
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  return { rules: parsed.data.rules, byId, version: (hash >>> 0).toString(16) };
}

export function loadCatalog(): Catalog {
  if (cached) return cached;
  const file = findCatalogFile();
  cached = parseCatalog(fs.readFileSync(file, 'utf8'), file);
  return cached;
}

export function severityOf(ruleId: string, overrides: Record<string, string> = {}): Severity | 'off' {
  const o = overrides[ruleId];
  if (o) return o as Severity | 'off';
  const rule = loadCatalog().byId.get(ruleId);
  if (!rule) throw new Error(`unknown rule id "${ruleId}" (not in config/anti-patterns.yaml)`);
  return rule.severity;
}
