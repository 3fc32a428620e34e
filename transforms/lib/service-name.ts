import fs from 'node:fs';
import path from 'node:path';

/*
 * The name a package's structured logs carry (`service` of every entry): what the service calls
 * itself where it is deployed, the nearest first: the Serverless Framework `service:`, the SAM
 * stack (`stack_name` of samconfig.toml), the package.json name (without its npm scope), else
 * the folder's name. Deployment variables (`${...}`) are not names.
 */

const SERVERLESS_FILES = ['serverless.yml', 'serverless.yaml'];
const NAME = /^[A-Za-z0-9][\w.-]*$/;
const cache = new Map<string, string>();

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function clean(raw: string | undefined): string | null {
  const value = raw?.trim().replace(/^['"]|['"]$/g, '');
  return value && NAME.test(value) ? value : null;
}

/** `service: orders` or the older `service:\n  name: orders`. */
function serverlessService(text: string): string | null {
  const inline = /^service:[ \t]*([^\s#]+)/m.exec(text);
  if (inline) return clean(inline[1]);
  return clean(/^service:[ \t]*(?:#.*)?\r?\n[ \t]+name:[ \t]*([^\s#]+)/m.exec(text)?.[1]);
}

function nameAt(dir: string): string | null {
  for (const f of SERVERLESS_FILES) {
    const text = read(path.join(dir, f));
    const name = text ? serverlessService(text) : null;
    if (name) return name;
  }
  const sam = read(path.join(dir, 'samconfig.toml'));
  const stack = sam ? clean(/^\s*stack_name\s*=\s*"([^"]+)"/m.exec(sam)?.[1]) : null;
  if (stack) return stack;
  const pkg = read(path.join(dir, 'package.json'));
  if (pkg) {
    try {
      const name = (JSON.parse(pkg) as { name?: unknown }).name;
      if (typeof name === 'string') return clean(name.replace(/^@[^/]+\//, ''));
    } catch {
      // an unreadable package.json names nothing
    }
  }
  return null;
}

/** The service name for a package root (looked up from there towards the repository top, a few levels at most). */
export function serviceNameOf(packageRoot: string): string {
  const known = cache.get(packageRoot);
  if (known) return known;
  let name: string | null = null;
  for (let dir = packageRoot, level = 0; level < 4 && !name; level++) {
    name = nameAt(dir);
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) break;
    dir = path.dirname(dir);
  }
  const result = name ?? clean(path.basename(packageRoot)) ?? 'service';
  cache.set(packageRoot, result);
  return result;
}
