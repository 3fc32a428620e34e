import fs from 'node:fs';
import path from 'node:path';

/**
 * Files that deploy the service somewhere a prober or load balancer checks it: a container image
 * (Dockerfile, Containerfile), Kubernetes (kustomize, Helm, Skaffold, a k8s/ folder), ECS (task
 * definitions, Copilot), App Runner, Elastic Beanstalk (Dockerrun, .ebextensions, .platform),
 * Fly.io, Render, Railway and DigitalOcean App Platform.
 */
const PROBED_DEPLOY =
  /(^|\/)(Dockerfile([.-][\w.-]+)?|[\w.-]+\.Dockerfile|Containerfile|Dockerrun\.aws\.json|kustomization\.ya?ml|Chart\.ya?ml|skaffold\.ya?ml|apprunner\.ya?ml|fly\.toml|render\.ya?ml|railway\.(json|toml)|task-?def(inition)?[\w.-]*\.json)$|(^|\/)(k8s|kubernetes|helm|charts|copilot|\.ebextensions|\.platform|\.do)\//i;
/** The Heroku Node.js buildpack's own package.json settings. */
const HEROKU_SCRIPTS = ['heroku-prebuild', 'heroku-postbuild', 'heroku-cleanup'];

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** A JSON object file, or null when it is missing, unreadable or not an object. */
function readJsonObject(file: string): Record<string, unknown> | null {
  const text = readText(file);
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A root package.json that configures the Heroku Node.js buildpack. */
function herokuPackage(root: string): boolean {
  const pkg = readJsonObject(path.join(root, 'package.json'));
  if (!pkg) return false;
  if ('heroku-run-build-script' in pkg) return true;
  const scripts = pkg.scripts as Record<string, unknown> | undefined;
  return HEROKU_SCRIPTS.some((s) => typeof scripts?.[s] === 'string');
}

/** An app.json for Heroku: Dokku reads the same file, and its `healthchecks` key means a prober. */
function herokuAppJson(root: string): boolean {
  const app = readJsonObject(path.join(root, 'app.json'));
  return app !== null && !('healthchecks' in app);
}

/**
 * Whether the project at `root` deploys only as a Heroku web dyno: a Heroku-specific sign (the
 * Heroku Node.js buildpack's settings in the root package.json, a heroku.yml, or a Procfile `web:`
 * process with a Heroku app.json; a Procfile alone is read by Dokku, Railway and others, some of
 * which probe), and no container, orchestrator or infrastructure-as-code definition (`iacKinds`
 * empty) that would put it behind a prober.
 * Heroku's router sends traffic to a dyno once it binds $PORT and offers no health or readiness
 * probe to answer, so a missing health route is not a finding there.
 *
 * `files`: every file of the scan, posix and relative to `root`.
 */
export function deploysOnlyToHeroku(root: string, files: readonly string[], iacKinds: readonly string[]): boolean {
  if (iacKinds.length > 0 || files.some((f) => PROBED_DEPLOY.test(f))) return false;
  if (herokuPackage(root) || files.includes('heroku.yml')) return true;
  if (!files.includes('Procfile') || !files.includes('app.json')) return false;
  const procfile = readText(path.join(root, 'Procfile'));
  return procfile !== null && /^web\s*:/m.test(procfile) && herokuAppJson(root);
}
