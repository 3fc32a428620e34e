import { closest } from 'fastest-levenshtein';
import { loadCatalog } from '../catalog/catalog';
import { UsageError } from '../errors';
import type { GateOptions } from '../report/report-gate';
import type { ScanOptions } from '../scan/scan';
import type { Shard } from '../workspaces/shard';

/** The options every command shares to choose files and rules, and what to report (see addScanOptions in cli/main.ts). */
export interface SelectionOptions extends GateOptions {
  only?: string[];
  skip?: string[];
  include?: string[];
  exclude?: string[];
  includeTests?: boolean;
  includeScripts?: boolean;
  config?: string;
  quiet?: boolean;
  cache?: boolean;
  package?: string[];
  shard?: Shard;
  changedSince?: string;
  /** impact and fix text under each finding */
  verbose?: boolean;
  /** --color / --no-color */
  color?: boolean;
}

/** Rule ids from --only/--skip, checked against the catalog so a typo is an error, not a silent no-op. */
export function checkedRuleIds(values: string[] | undefined, flag: string): string[] | undefined {
  if (!values?.length) return undefined;
  const catalog = loadCatalog();
  for (const id of values) {
    if (!catalog.byId.has(id)) {
      const ids = catalog.rules.map((r) => r.id);
      throw new UsageError(
        `${flag}: unknown rule id "${id}"; did you mean "${closest(id, ids)}"? (known ids: ${ids.join(', ')})`,
      );
    }
  }
  return values;
}

/** The scan options of a command's file and rule selection; rule ids are checked against the catalog. */
export function scanOptionsOf(paths: string[], o: SelectionOptions): ScanOptions {
  return {
    paths,
    configFile: o.config,
    only: checkedRuleIds(o.only, '--only'),
    skip: checkedRuleIds(o.skip, '--skip'),
    include: o.include,
    exclude: o.exclude,
    includeTests: o.includeTests,
    includeScripts: o.includeScripts,
    cache: o.cache,
    packages: o.package,
    shard: o.shard,
    changedSince: o.changedSince,
    quiet: o.quiet,
  };
}
