import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { packageRootOf } from './generated-modules';

/*
 * AWS SDK v3 accepts a plain object as `requestHandler` (`{ requestTimeout, connectionTimeout }`)
 * only since the constructor pass-through of aws-sdk-js-v3 pull request 5820, released in the
 * client packages 3.521.0 (2024-02-23). Older releases throw `requestHandler.handle is not a
 * function` on every call. The fix uses the shorthand only when both the range the package
 * declares and the version installed are at least that release; otherwise
 * `new NodeHttpHandler({...})` from @smithy/node-http-handler, which works on every v3 release.
 */

/** The first client release that takes a plain object as requestHandler. */
export const HANDLER_SHORTHAND_SINCE = '3.521.0';

/** The range a package.json declares for a dependency, or null. */
function declaredRange(packageRoot: string, name: string): string | null {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, unknown> | undefined
    >;
    for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const range = pkg[key]?.[name];
      if (typeof range === 'string') return range;
    }
  } catch {
    // no package.json, or one that does not parse: nothing declared
  }
  return null;
}

/** The version of a package installed where Node would resolve it from `packageRoot`, or null. */
function installedVersion(packageRoot: string, name: string): string | null {
  for (let dir = packageRoot; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'node_modules', name, 'package.json');
    if (fs.existsSync(file)) {
      try {
        const version = (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown }).version;
        return typeof version === 'string' ? version : null;
      } catch {
        return null;
      }
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * Whether the AWS SDK client package `clientPackage` (e.g. `@aws-sdk/client-dynamodb`), as the
 * package holding `file` declares and installs it, takes the `requestHandler` shorthand: 'yes'
 * when the declared range and the installed release are both recent enough; 'no' when either
 * admits an older release; 'unknown' when the package is not declared (the Lambda runtime's
 * bundled SDK) or declared by something that is not a version range (a tag, a path).
 */
export function handlerShorthandSupport(file: string, clientPackage: string): 'yes' | 'no' | 'unknown' {
  const root = packageRootOf(path.dirname(file));
  const installed = installedVersion(root, clientPackage);
  if (installed !== null && semver.valid(installed) !== null && semver.lt(installed, HANDLER_SHORTHAND_SINCE))
    return 'no';
  const range = declaredRange(root, clientPackage);
  if (range === null || !semver.validRange(range)) return 'unknown';
  const lowest = semver.minVersion(range);
  if (!lowest || semver.lt(lowest, HANDLER_SHORTHAND_SINCE)) return 'no';
  return installed === null || semver.valid(installed) !== null ? 'yes' : 'unknown';
}
