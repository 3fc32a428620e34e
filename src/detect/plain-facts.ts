import type { FileDetection } from './detect-file';
import type { FileFacts, ProjectFacts } from './detector-api';

/**
 * Plain (JSON- and structured-clone-friendly) forms of the facts that hold Sets and Maps,
 * so detections can cross worker threads and be stored in the on-disk cache.
 */
export interface PlainFileFacts {
  frameworks: string[];
  relativeImports: string[];
  handlerExports: Array<[string, string]>;
  dependencies: FileFacts['dependencies'];
  resilienceLibraries: string[];
  calls?: FileFacts['calls'];
  breakerWrapped?: FileFacts['breakerWrapped'];
  servesProbe?: boolean;
  logOnlyExports?: string[];
}

export interface PlainFileDetection extends Omit<FileDetection, 'facts'> {
  facts: PlainFileFacts;
}

export interface PlainProjectFacts extends Omit<ProjectFacts, 'iacHandlers' | 'packageDependencies'> {
  iacHandlers: Array<[string, ProjectFacts['iacHandlers'] extends Map<string, infer V> ? V : never]>;
  packageDependencies: string[];
}

export function toPlainFacts(facts: FileFacts): PlainFileFacts {
  return {
    frameworks: [...facts.frameworks],
    relativeImports: [...facts.relativeImports],
    handlerExports: [...facts.handlerExports],
    dependencies: facts.dependencies.map((d) => ({ ...d })),
    resilienceLibraries: [...facts.resilienceLibraries],
    ...(facts.calls ? { calls: facts.calls } : {}),
    ...(facts.breakerWrapped ? { breakerWrapped: facts.breakerWrapped } : {}),
    ...(facts.servesProbe ? { servesProbe: true } : {}),
    ...(facts.logOnlyExports ? { logOnlyExports: [...facts.logOnlyExports] } : {}),
  };
}

export function fromPlainFacts(plain: PlainFileFacts): FileFacts {
  return {
    frameworks: new Set(plain.frameworks),
    relativeImports: new Set(plain.relativeImports),
    handlerExports: new Map(plain.handlerExports),
    dependencies: plain.dependencies.map((d) => ({ ...d })),
    resilienceLibraries: new Set(plain.resilienceLibraries),
    ...(plain.calls ? { calls: plain.calls } : {}),
    ...(plain.breakerWrapped ? { breakerWrapped: plain.breakerWrapped } : {}),
    ...(plain.servesProbe ? { servesProbe: true } : {}),
    ...(plain.logOnlyExports ? { logOnlyExports: [...plain.logOnlyExports] } : {}),
  };
}

export function toPlainDetection(d: FileDetection): PlainFileDetection {
  return { findings: d.findings, notes: d.notes, parsed: d.parsed, facts: toPlainFacts(d.facts) };
}

export function fromPlainDetection(d: PlainFileDetection): FileDetection {
  return { findings: d.findings, notes: d.notes, parsed: d.parsed, facts: fromPlainFacts(d.facts) };
}

export function toPlainProject(project: ProjectFacts): PlainProjectFacts {
  return { ...project, iacHandlers: [...project.iacHandlers], packageDependencies: [...project.packageDependencies] };
}

export function fromPlainProject(plain: PlainProjectFacts): ProjectFacts {
  return { ...plain, iacHandlers: new Map(plain.iacHandlers), packageDependencies: new Set(plain.packageDependencies) };
}
