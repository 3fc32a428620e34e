import type { FunctionCode, IacFormat, IacModel } from './iac-model';

/** A Lambda function the IaC declares with a Node.js handler in this repository. */
export interface DeployFunction {
  id: string;
  iacFile: string;
  format: IacFormat;
  /** key path of the function in its template (YAML/JSON) or [construct id] (CDK) */
  path: string[];
  handlerFile: string;
  exportName: string;
  runtime?: string;
  /** the runtime's Node.js major; null when not written or not computable from the IaC */
  nodeMajor: number | null;
  code?: FunctionCode;
}

/** `nodejs18.x` → 18, `nodejs` → 0 (the 0.10 runtime), `nodejs-latest` → the newest; else null. */
export function nodeMajorOf(runtime: string | undefined): number | null {
  if (!runtime) return null;
  if (runtime === 'nodejs-latest') return Number.MAX_SAFE_INTEGER;
  if (runtime === 'nodejs') return 0;
  const m = /^nodejs(\d+)/.exec(runtime);
  return m ? Number(m[1]) : null;
}

/** The functions of the models, each with its handler file (those without a local handler are left out). */
export function deployFunctions(models: readonly IacModel[]): DeployFunction[] {
  const out: DeployFunction[] = [];
  for (const m of models) {
    for (const fn of m.functions) {
      const h = m.handlers.find((x) => x.functionName === fn.id && (x.declaredAt?.file ?? m.file) === fn.file);
      if (!h) continue;
      out.push({
        id: fn.id,
        iacFile: fn.configFile ?? fn.file,
        format: fn.format,
        path: fn.path,
        handlerFile: h.file,
        exportName: h.exportName,
        ...(fn.runtime ? { runtime: fn.runtime } : {}),
        nodeMajor: nodeMajorOf(fn.runtime),
        ...(fn.code ? { code: fn.code } : {}),
      });
    }
  }
  return out;
}
