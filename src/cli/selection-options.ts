import type { ScanOptions } from '../scan/scan';
import type { Shard } from '../workspaces/shard';
import { ruleIds } from './parse-list';
import type { GateOptions } from '../report/report-gate';

/** The options every command shares to choose files and rules, and what to report (see addScanOptions in main.ts). */
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

/** The scan options of a command's file and rule selection; rule ids are checked against the catalog. */
export function scanOptionsOf(paths: string[], o: SelectionOptions): ScanOptions {
  return {
    paths,
    configFile: o.config,
    only: ruleIds(o.only, '--only'),
    skip: ruleIds(o.skip, '--skip'),
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
