import fs from 'node:fs';
import path from 'node:path';

const SOURCE = /\.([cm]?[jt]s|[jt]sx)$/;
/** What the scanner skips by name: keep the corpus identical for every tool. */
const EXCLUDED = /(\.min\.[cm]?js|\.bundle\.js|\.d\.[cm]?ts|\.(test|spec)\.[cm]?[jt]sx?)$/;
const MAX_BYTES = 500 * 1024;

export interface CorpusFile {
  /** relative to node_modules, posix */
  from: string;
  bytes: number;
}

/** Every JS/TS source under `nodeModules`, in sorted walk order (deterministic for one install). */
export function listSources(nodeModules: string): CorpusFile[] {
  const out: CorpusFile[] = [];
  const walk = (dir: string, rel: string): void => {
    const entries = fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = path.join(dir, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!e.name.startsWith('.')) walk(abs, r); // .bin, .cache, .vite: tool state, not packages
      } else if (e.isFile() && SOURCE.test(e.name) && !EXCLUDED.test(e.name)) {
        const bytes = fs.statSync(abs).size;
        if (bytes > 0 && bytes <= MAX_BYTES) out.push({ from: r, bytes });
      }
    }
  };
  walk(nodeModules, '');
  return out;
}

/**
 * Copies the first `count` files into `dir`, flattened into folders of 500 (a node_modules
 * layout would be skipped by every linter), names prefixed by index so they never collide.
 */
export function writeCorpus(
  nodeModules: string,
  files: CorpusFile[],
  count: number,
  dir: string,
): { files: number; bytes: number } {
  fs.mkdirSync(dir, { recursive: true });
  let bytes = 0;
  const chosen = files.slice(0, count);
  chosen.forEach((f, i) => {
    const folder = path.join(dir, `part${String(Math.floor(i / 500)).padStart(2, '0')}`);
    if (i % 500 === 0) fs.mkdirSync(folder, { recursive: true });
    const name = `${String(i).padStart(5, '0')}-${path.basename(f.from)}`;
    fs.copyFileSync(path.join(nodeModules, f.from), path.join(folder, name));
    bytes += f.bytes;
  });
  return { files: chosen.length, bytes };
}
