import path from 'node:path';
import type { PackageManifest } from '../detect/detector-api';

/**
 * What a code file is for: the service (deployed code on a request or message path), front-end
 * code (runs in a browser), or a script run by hand (local harnesses, operator and seed scripts,
 * CLIs). Service rules (timeouts, catches, logging, …) are about the first only: on the others
 * their findings are noise a user learns to ignore. Decided from the path, the nearest
 * package.json and the text; a file the IaC deploys as a handler is always the service.
 */
export type FileRole = 'service' | 'front-end' | 'script';

export interface FileRoleVerdict {
  role: FileRole;
  /** why the file is not service code (absent for the service) */
  reason?: string;
}

export interface FileRoleContext {
  /** every package.json of the tree (its folder and dependencies) */
  manifests: readonly PackageManifest[];
  /** files the IaC deploys as Lambda handlers (posix, relative) */
  handlerFiles: ReadonlySet<string>;
}

/** Local harness scripts by name: run by hand to exercise a handler, not part of what ships. */
const HARNESS_NAME = /^(local[-_.]?test|test[-_.]?harness|local[-_.]?invoke|run[-_.]?local)\.[cm]?[jt]sx?$/i;
/** Operator and seed scripts by place or name: `scripts/`, seeders and migrations. */
const SCRIPT_DIR = /(^|\/)(scripts|seeds|seeders|migrations)\//;
const SEED_NAME = /^(seed|seeds|seeder|migrate)(\.[\w-]+)?\.[cm]?[jt]sx?$/i;

/** Whether a file is a local harness or operator script by its path alone. */
export function isScriptPath(file: string): boolean {
  const base = path.posix.basename(file);
  return HARNESS_NAME.test(base) || SEED_NAME.test(base) || SCRIPT_DIR.test(file);
}

/** Libraries that render in a browser. */
const FRONT_END_LIBS =
  /^(react|react-dom|vue|@angular\/core|svelte|preact|solid-js|lit|ember-source|@vue\/runtime-dom)$/;
/**
 * Libraries that put server code in the same package (full-stack frameworks, HTTP servers,
 * Lambda adapters): such a package is not front-end as a whole, only its browser files are.
 */
const SERVER_LIBS =
  /^(next|nuxt|nuxt3|@remix-run\/.+|@sveltejs\/kit|astro|express|fastify|koa|@hapi\/hapi|hapi|@nestjs\/core|restify|serverless-http|@vendia\/serverless-express|@codegenie\/serverless-express|aws-serverless-express|aws-lambda|@types\/aws-lambda|@middy\/core)$/;

/**
 * Modules only browser code imports (the renderer, client state and routing, UI kits). In a package
 * that also holds a server (a React client and an Express API under one package.json), a file that
 * imports one of them is the browser half.
 */
const BROWSER_IMPORT =
  /(?:\bfrom\s*|\brequire\(\s*|\bimport\s*)['"](react|react-dom|react-dom\/client|react-redux|react-router|react-router-dom|redux-saga|redux-saga\/effects|@mui\/[\w-]+|@emotion\/(?:react|styled)|react-bootstrap|vue|vue-router|pinia|@angular\/core|svelte|preact|solid-js)['"]/;
/** Modules a browser file never imports: a file importing one runs on the server, React or not. */
const SERVER_IMPORT =
  /(?:\bfrom\s*|\brequire\(\s*)['"](?:node:)?(express|fastify|koa|http|https|fs|net|child_process|react-dom\/server|pg|mysql2?|mongoose|mongodb|ioredis|redis|aws-sdk|@aws-sdk\/[\w-]+)['"]/;
/** Frameworks that render React/Vue on the server too: their component files are not browser-only. */
const SSR_FRAMEWORKS = /^(next|nuxt|nuxt3|@remix-run\/.+|@sveltejs\/kit|astro|gatsby)$/;

/** Browser-only globals used as objects (a `typeof window` guard alone is not use). */
const BROWSER_GLOBALS = /(?<!typeof\s+)\b(window|document|navigator|localStorage|sessionStorage)\.[A-Za-z_$]/;
/** A service worker: registered from the page, or the worker listening for its lifecycle events. */
const SERVICE_WORKER = /navigator\.serviceWorker|\bself\.addEventListener\(\s*['"](fetch|install|activate|push)['"]/;

/** What a running service does in a file: serve, export a handler, consume messages, loop forever. */
const SERVER_SIGNAL = new RegExp(
  [
    String.raw`\.listen\(`,
    String.raw`\bcreateServer\(`,
    String.raw`\bexports\.handler\b`,
    String.raw`\bmodule\.exports\s*=`,
    String.raw`^\s*export\s`,
    String.raw`\brequire\(\s*['"](express|fastify|koa|@hapi\/hapi)['"]`,
    String.raw`\bfrom\s+['"](express|fastify|koa|@hapi\/hapi)['"]`,
    String.raw`\.(consume|subscribe|receiveMessage)\(`,
    // queue consumers and schedulers: sqs-consumer, bullmq/bee workers, kafkajs runs, cron jobs
    String.raw`\b(Consumer|Worker)\.create\(|\bnew\s+(Consumer|CronJob)\(|\.run\(\s*\{\s*each(Message|Batch)\b|\bcron\.schedule\(|\bschedule(Job)?\(\s*['"]`,
    String.raw`\bnew\s+Worker\(`,
    String.raw`\bwhile\s*\(\s*true\s*\)|\bfor\s*\(\s*;\s*;\s*\)`,
    String.raw`\bsetInterval\(`,
  ].join('|'),
  'm',
);
/** A file run as a program: `main().catch(…)`, `main().then(…)`, a bare `main();` at the top. */
const MAIN_ENTRY = /^\s*(?:void\s+)?(main|run)\(\)\s*(?:\.\s*(?:then|catch|finally)\s*\(|;?\s*$)/m;
/** A command-line program. */
const SHEBANG = /^#!.*\bnode\b/;
/** A program reading its own arguments, `process.argv[2]` or `.slice(2)` (a service takes its settings from the environment). */
const COMMAND_LINE = /\bprocess\.argv(\[\s*[2-9]\s*\]|\.slice\(\s*2\s*\))/;

const RELATIVE_REQUIRE = /(?:\bfrom\s*|\brequire\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;

/** The package.json nearest above a file (the deepest folder that contains it). */
function nearestManifest(file: string, manifests: readonly PackageManifest[]): PackageManifest | undefined {
  let best: PackageManifest | undefined;
  for (const m of manifests) {
    if (m.dir !== '' && !file.startsWith(`${m.dir}/`)) continue;
    if (!best || m.dir.length > best.dir.length) best = m;
  }
  return best;
}

/** The front-end library a package depends on, when it holds no server code (no server library, no deployed handler). */
function frontEndPackage(manifest: PackageManifest | undefined, context: FileRoleContext): string | null {
  if (!manifest) return null;
  if ([...context.handlerFiles].some((h) => nearestManifest(h, context.manifests) === manifest)) return null;
  const names = Object.keys(manifest.dependencies);
  if (names.some((n) => SERVER_LIBS.test(n))) return null;
  return names.find((n) => FRONT_END_LIBS.test(n)) ?? null;
}

/**
 * The browser module a file of a full-stack package imports, when it imports no server module and
 * the package deploys no handler and renders nothing on the server (see SSR_FRAMEWORKS).
 */
function browserImport(file: string, text: string, context: FileRoleContext): string | null {
  const manifest = nearestManifest(file, context.manifests);
  if (!manifest) return null;
  const names = Object.keys(manifest.dependencies);
  if (!names.some((n) => FRONT_END_LIBS.test(n)) || names.some((n) => SSR_FRAMEWORKS.test(n))) return null;
  if ([...context.handlerFiles].some((h) => nearestManifest(h, context.manifests) === manifest)) return null;
  if (SERVER_IMPORT.test(text)) return null;
  return BROWSER_IMPORT.exec(text)?.[1] ?? null;
}

/** The relative modules a file imports, resolved against its folder (posix, without extension). */
function importedModules(file: string, text: string): string[] {
  const dir = path.posix.dirname(file);
  return [...text.matchAll(RELATIVE_REQUIRE)].map((m) =>
    path.posix.normalize(path.posix.join(dir, m[1]!)).replace(/\.[cm]?[jt]sx?$/, ''),
  );
}

/** Whether a file that listens only runs the Lambda-deployed app locally: it imports a handler module. */
function localRunnerOf(file: string, text: string, handlers: ReadonlySet<string>): boolean {
  if (!/\.listen\(/.test(text) || /\bexports\.handler\b|\bexport\s+(const|async|function)\s/.test(text)) return false;
  const handlerModules = new Set([...handlers].map((h) => h.replace(/\.[cm]?[jt]sx?$/, '')));
  return importedModules(file, text).some((m) => handlerModules.has(m) || handlerModules.has(`${m}/index`));
}

export function classifyFile(file: string, text: string, context: FileRoleContext): FileRoleVerdict {
  if (context.handlerFiles.has(file)) return { role: 'service' };
  if (SERVICE_WORKER.test(text)) return { role: 'front-end', reason: 'service worker code, runs in the browser' };
  const lib = frontEndPackage(nearestManifest(file, context.manifests), context);
  if (lib) return { role: 'front-end', reason: `its package depends on ${lib}: browser code` };
  const browserLib = browserImport(file, text, context);
  if (browserLib)
    return { role: 'front-end', reason: `imports ${browserLib}: the browser half of a full-stack package` };
  const server = SERVER_SIGNAL.test(text);
  if (!server && BROWSER_GLOBALS.test(text))
    return { role: 'front-end', reason: 'uses browser globals (window, document, …)' };
  const base = path.posix.basename(file);
  if (HARNESS_NAME.test(base)) return { role: 'script', reason: 'a local harness script, run by hand' };
  if (SEED_NAME.test(base) || /(^|\/)(seeds|seeders|migrations)\//.test(file))
    return { role: 'script', reason: 'a seed or migration script' };
  if (/(^|\/)scripts\//.test(file)) return { role: 'script', reason: 'an operator script (scripts/)' };
  if (localRunnerOf(file, text, context.handlerFiles))
    return { role: 'script', reason: 'runs a Lambda-deployed app locally (listens on a handler module)' };
  if (!server && SHEBANG.test(text)) return { role: 'script', reason: 'a command-line program' };
  if (!server && context.manifests.some((m) => m.scriptFiles?.includes(file)))
    return { role: 'script', reason: 'a program an npm script runs (package.json scripts)' };
  if (!server && COMMAND_LINE.test(text))
    return { role: 'script', reason: 'a program that reads its command line (process.argv)' };
  if (!server && MAIN_ENTRY.test(text))
    return { role: 'script', reason: 'a program run by hand (a top-level main() entry point)' };
  return { role: 'service' };
}

/**
 * Whether a rule's finding is reported on a file of this role. Front-end code keeps only
 * hard-coded secrets (a secret shipped to every browser is worse, not better); scripts keep
 * everything only when the user asks for them (`includeScripts`).
 */
export function reportedOnRole(role: FileRole, ruleId: string, includeScripts: boolean): boolean {
  if (role === 'front-end') return ruleId === 'hardcoded-secret';
  if (role === 'script') return includeScripts;
  return true;
}
