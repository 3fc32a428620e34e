import fs from 'node:fs';
import path from 'node:path';

/** This tool's package.json, found from here in src/ (tests) or dist/src/ (built). */
function ownPackage(): { version: string } {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'harden-codemod') return pkg;
    }
  }
  return { version: '0.0.0' };
}

export const VERSION = ownPackage().version;
