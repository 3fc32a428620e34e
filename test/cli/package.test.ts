import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE, REPO, runCli } from '../helpers/cli';

/**
 * The published package: what `npm pack` puts in it, and that the CLI and the library work
 * from those files alone (npm test builds dist/ first; the pack skips the prepare build).
 */

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let files: string[];
let pkgDir: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-pack-'));
  const out = execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
    cwd: REPO,
    encoding: 'utf8',
  });
  const [info] = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = info!.files.map((f) => f.path).sort();
  execFileSync('tar', ['xzf', path.join(work, path.basename(info!.filename)), '-C', work]);
  pkgDir = path.join(work, 'package');
  // the dependencies as an install would provide them
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(pkgDir, 'node_modules'), 'dir');
}, 120_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('holds the entry, the built library with its types, and the catalog; no sources, tests or examples', () => {
    for (const f of [
      'bin/harden-codemod.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/main.js',
      'dist/src/scan/detect-worker.js',
      'dist/transforms/add-timeout.js',
      'dist/src/registry/detector-modules.js',
      'dist/detectors/timeouts.js',
      'config/anti-patterns.yaml',
      'config/libraries.yaml',
      'package.json',
      'README.md',
    ]) {
      expect(files, f).toContain(f);
    }
    const unwanted = files.filter(
      (f) =>
        /^(src|test|examples|bench|__testfixtures__|dist\/test|dist\/bench)\//.test(f) ||
        /__tests__|\.test\.|(^|\/)[^/]+\.ts$/.test(f.replace(/\.d\.ts$/, '.js')),
    );
    expect(unwanted).toEqual([]);
  });

  it('package.json points bin, main and types at files it ships', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      main: string;
      types: string;
    };
    for (const target of [...Object.values(pkg.bin), pkg.main, pkg.types])
      expect(files, target).toContain(target.replace(/^\.\//, ''));
  });

  it('the packed CLI runs: --version and a scan of the example', () => {
    const bin = path.join(pkgDir, 'bin/harden-codemod.js');
    const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
    const scan = spawnSync(process.execPath, [bin, 'scan', EXAMPLE, '--format', 'json', '--no-cache'], {
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(scan.stderr).toBe('');
    // the same findings as the repository's own build (the example's EXPECTED.md is asserted elsewhere)
    const own = runCli(['scan', EXAMPLE, '--format', 'json', '--no-cache']);
    expect(JSON.parse(scan.stdout).findings).toEqual(JSON.parse(own.stdout).findings);
    expect(JSON.parse(scan.stdout).findings.length).toBeGreaterThan(30);
  });

  it('the packed library loads and its types compile in a consumer', () => {
    const consumer = path.join(work, 'consumer');
    fs.mkdirSync(path.join(consumer, 'node_modules'), { recursive: true });
    fs.symlinkSync(pkgDir, path.join(consumer, 'node_modules/harden-codemod'), 'dir');
    fs.writeFileSync(
      path.join(consumer, 'use.ts'),
      [
        "import { fix, scan, type Finding, type ScanResult } from 'harden-codemod';",
        'export async function critical(root: string): Promise<Finding[]> {',
        '  const result: ScanResult = scan({ root, paths: [root] });',
        '  const { computed } = await fix({ root, paths: [root] });',
        "  return result.findings.filter((f) => f.severity === 'critical' && computed.fixed.includes(f) === false);",
        '}',
        '',
      ].join('\n'),
    );
    const tsc = spawnSync(
      process.execPath,
      [
        path.join(REPO, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--esModuleInterop',
        '--module',
        'commonjs',
        '--moduleResolution',
        'node10',
        '--target',
        'ES2022',
        '--types',
        'node',
        '--typeRoots',
        path.join(REPO, 'node_modules/@types'),
        'use.ts',
      ],
      { cwd: consumer, encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');
    const lib = spawnSync(
      process.execPath,
      [
        '-e',
        "const h = require('harden-codemod'); console.log(typeof h.scan, typeof h.fix, typeof h.computeChanges, typeof h.main)",
      ],
      { cwd: consumer, encoding: 'utf8' },
    );
    expect(lib.stdout.trim()).toBe('function function function function');
  });
});
