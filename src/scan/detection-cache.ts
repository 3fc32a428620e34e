import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCatalog } from '../catalog/catalog';
import type { FileDetection } from '../detect/detect-file';
import { fromPlainDetection, toPlainDetection, type PlainFileDetection } from '../detect/plain-facts';
import { VERSION } from '../version';

export interface DetectionCache {
  get(relPath: string, text: string): FileDetection | undefined;
  set(relPath: string, text: string, d: FileDetection): void;
  /** writes the index if anything changed; call once at the end of a run */
  flush(): void;
}

interface Entry {
  /** sha1 of the file's text */
  h: string;
  d: PlainFileDetection;
}

interface IndexFile {
  key: string;
  entries: Record<string, Entry>;
}

/** Index files not written for this long belong to old versions or configs: removed on flush. */
const STALE_MS = 7 * 24 * 3600 * 1000;

const sha1 = (text: string): string => crypto.createHash('sha1').update(text).digest('hex');

/**
 * What a cached detection depends on besides the file: tool and catalog versions, the enabled
 * detectors, the config, and project facts (IaC handlers, dependencies) detectors read.
 */
export function cacheKeyParts(input: {
  detectorNames: readonly string[];
  config: unknown;
  project?: unknown;
}): string[] {
  return [
    VERSION,
    loadCatalog().version,
    sha1([...input.detectorNames].sort().join(',')),
    JSON.stringify(input.config),
    JSON.stringify(input.project ?? null),
  ];
}

/** `<root>/node_modules/.cache/harden-codemod`, or a per-root folder in the OS temp dir. */
export function cacheDir(root: string): string {
  const nodeModules = path.join(root, 'node_modules');
  if (fs.existsSync(nodeModules)) return path.join(nodeModules, '.cache', 'harden-codemod');
  return path.join(os.tmpdir(), 'harden-codemod-cache', sha1(path.resolve(root)).slice(0, 16));
}

const disabled: DetectionCache = { get: () => undefined, set: () => undefined, flush: () => undefined };

function readIndex(file: string, key: string): Record<string, Entry> {
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as IndexFile;
    return data.key === key && data.entries && typeof data.entries === 'object' ? data.entries : {};
  } catch {
    return {}; // missing or corrupt: start empty
  }
}

function removeStale(dir: string, keep: string): void {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (file === keep || !/^detections-[0-9a-f]+\.json$/.test(name)) continue;
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > STALE_MS) fs.unlinkSync(file);
    } catch {
      // another run removed it
    }
  }
}

/**
 * Detection results by file content. One JSON index per key (tool, catalog, detectors, config),
 * read once on open and written once in flush() (atomically: temp file + rename), so a
 * cold run costs one write and a warm run one read. Entries of files that no longer exist
 * are dropped on flush. The folder is created only when there is something to write.
 * The result carries the file's path (in notes), so the path is part of an entry's identity.
 */
export function openCache(root: string, keyParts: readonly string[], enabled: boolean): DetectionCache {
  if (!enabled) return disabled;
  const key = sha1(keyParts.join('\0'));
  const dir = cacheDir(root);
  const file = path.join(dir, `detections-${key.slice(0, 16)}.json`);
  const entries = readIndex(file, key);
  // a miss is usually followed by set() with the same text: hash it once
  const hashed = new Map<string, { text: string; h: string }>();
  let dirty = false;
  const hashOf = (relPath: string, text: string): string => {
    const known = hashed.get(relPath);
    if (known && known.text === text) return known.h;
    const h = sha1(text);
    hashed.set(relPath, { text, h });
    return h;
  };
  return {
    get(relPath, text) {
      const entry = entries[relPath];
      if (!entry) return undefined;
      return entry.h === hashOf(relPath, text) ? fromPlainDetection(entry.d) : undefined;
    },
    set(relPath, text, d) {
      entries[relPath] = { h: hashOf(relPath, text), d: toPlainDetection(d) };
      hashed.delete(relPath);
      dirty = true;
    },
    flush() {
      if (!dirty) return;
      for (const rel of Object.keys(entries)) {
        if (!fs.existsSync(path.join(root, rel))) delete entries[rel];
      }
      try {
        fs.mkdirSync(dir, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify({ key, entries } satisfies IndexFile));
        fs.renameSync(tmp, file);
        removeStale(dir, file);
        dirty = false;
      } catch {
        // a read-only tree or full disk: the cache is an optimisation, never an error
      }
    },
  };
}
