import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { closest } from 'fastest-levenshtein';
import { loadCatalog } from '../catalog/catalog';
import { UsageError } from '../errors';
import { configSchema, type ResolvedConfig } from './config-schema';
import { formatZodError } from './zod-errors';

const CONFIG_FILES = ['harden-codemod.config.json', 'harden-codemod.config.yaml', 'harden-codemod.config.yml'];

function readConfigSource(file: string): unknown {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new UsageError(`${file}: not valid JSON: ${(err as Error).message}`);
    }
  }
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line ?? 1;
    throw new UsageError(`${file}:${line}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message}`);
  }
}

/**
 * Finds and validates the config: an explicit --config file, else the first config file in
 * `dir`, else the "harden-codemod" key of dir/package.json. Errors name the file and the key.
 */
export function loadConfig(dir: string, explicit?: string): ResolvedConfig {
  let file: string | null = null;
  let raw: unknown = {};
  if (explicit) {
    file = path.resolve(explicit);
    if (!fs.existsSync(file)) throw new UsageError(`config file not found: ${explicit}`);
    raw = readConfigSource(file);
  } else {
    for (const name of CONFIG_FILES) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) {
        file = candidate;
        raw = readConfigSource(candidate);
        break;
      }
    }
    if (!file) {
      const pkgFile = path.join(dir, 'package.json');
      if (fs.existsSync(pkgFile)) {
        try {
          const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as Record<string, unknown>;
          if (pkg['harden-codemod'] !== undefined) {
            file = `${pkgFile}#harden-codemod`;
            raw = pkg['harden-codemod'];
          }
        } catch {
          /* a malformed package.json is reported by discovery, not here */
        }
      }
    }
  }
  const parsed = configSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new UsageError(formatZodError(file ?? 'config', parsed.error));
  checkRuleKeys(file ?? 'config', parsed.data.severity);
  return { ...parsed.data, configFile: file };
}

/** Severity keys are rule ids of the catalog: a typo is a config error naming the closest id, not a silent no-op. */
function checkRuleKeys(file: string, severity: Record<string, string>): void {
  const ids = loadCatalog().rules.map((r) => r.id);
  const unknown = Object.keys(severity).filter((key) => !ids.includes(key));
  if (!unknown.length) return;
  const lines = unknown.map(
    (key) => `  severity.${key}: unknown rule id "${key}"; did you mean "${closest(key, ids)}"?`,
  );
  throw new UsageError(`${file}: invalid configuration\n${lines.join('\n')}\n  (rule ids: ${ids.join(', ')})`);
}
