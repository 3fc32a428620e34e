import type { FileFacts } from '../detect/detector-api';
import type { DependencyRef } from '../types';
import type { DiscoveredDependency, Discovery, LambdaHandler, LambdaTrigger } from './discovery-types';
import type { PackageFacts } from './package-facts';

export interface DiscoveryInput {
  pkg: PackageFacts;
  serviceName: string;
  files: Map<string, FileFacts>;
  /** file → module style seen ('esm' | 'cjs') */
  moduleStyles: Map<string, 'esm' | 'cjs'>;
  iacKinds: string[];
  iacHandlers: LambdaHandler[];
}

const FRAMEWORK_DEPENDENCIES: Record<string, string> = {
  express: 'express',
  fastify: 'fastify',
  koa: 'koa',
  '@nestjs/core': 'nestjs',
  hono: 'hono',
};

/** Aggregates per-file facts, package.json and IaC into the spec's phase-1 discovery. */
export function buildDiscovery(input: DiscoveryInput): Discovery {
  const files = [...input.files.keys()];
  const ts = files.filter((f) => /\.(ts|tsx|mts|cts)$/.test(f)).length;
  const js = files.length - ts;
  const language = files.length === 0 ? 'unknown' : ts && js ? 'mixed' : ts ? 'typescript' : 'javascript';
  const styles = new Set(input.moduleStyles.values());
  const moduleSystem =
    styles.size === 0 ? 'unknown' : styles.size > 1 ? 'mixed' : styles.has('esm') ? 'esm' : 'commonjs';

  const frameworks = new Set<string>();
  for (const facts of input.files.values()) for (const f of facts.frameworks) frameworks.add(f);
  for (const [dep, fw] of Object.entries(FRAMEWORK_DEPENDENCIES))
    if (input.pkg.dependencies.has(dep)) frameworks.add(fw);

  const handlers = new Map<string, LambdaHandler>();
  for (const h of input.iacHandlers) handlers.set(`${h.file}#${h.exportName}`, h);
  for (const [file, facts] of input.files) {
    for (const [exportName, trigger] of facts.handlerExports) {
      const key = `${file}#${exportName}`;
      const known = handlers.get(key);
      if (known) {
        if (!known.triggers.includes(trigger as LambdaTrigger) && trigger !== 'unknown')
          known.triggers.push(trigger as LambdaTrigger);
      } else handlers.set(key, { file, exportName, triggers: [trigger as LambdaTrigger], source: 'code' });
    }
  }
  if (handlers.size) frameworks.add('lambda');

  const deps = new Map<string, DiscoveredDependency>();
  for (const [file, facts] of input.files) {
    for (const d of facts.dependencies) {
      const key = `${d.category}:${d.name}`;
      const entry = deps.get(key) ?? {
        name: d.name,
        category: d.category as DependencyRef['category'],
        module: d.module,
        files: [],
        callSites: 0,
        protection: { timeout: true, retry: true, breaker: true },
      };
      if (!entry.files.includes(file)) entry.files.push(file);
      entry.callSites++;
      entry.protection.timeout &&= d.timeout;
      entry.protection.retry &&= d.retry;
      entry.protection.breaker &&= d.breaker;
      deps.set(key, entry);
    }
  }

  const libraries = new Map<string, string[]>();
  for (const [file, facts] of input.files) {
    for (const lib of facts.resilienceLibraries) libraries.set(lib, [...(libraries.get(lib) ?? []), file]);
  }

  const cloud =
    input.iacKinds.some((k) => k !== 'terraform') ||
    [...input.pkg.dependencies].some((d) => d.startsWith('@aws-sdk/') || d === 'aws-sdk') ||
    handlers.size
      ? ['aws']
      : [];
  return {
    serviceName: input.serviceName,
    language,
    moduleSystem,
    frameworks: [...frameworks].sort(),
    iac: [...input.iacKinds].sort(),
    cloud,
    packageManager: input.pkg.packageManager,
    workspaces: input.pkg.workspaces,
    lambdaHandlers: [...handlers.values()].sort(
      (a, b) => a.file.localeCompare(b.file) || a.exportName.localeCompare(b.exportName),
    ),
    dependencies: [...deps.values()].sort(
      (a, b) => a.category.localeCompare(b.category) || a.name.localeCompare(b.name),
    ),
    resilienceLibraries: [...libraries.entries()]
      .map(([name, files]) => ({ name, files: [...new Set(files)].sort() }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
