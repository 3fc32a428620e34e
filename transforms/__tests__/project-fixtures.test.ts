import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog';
import { loadConfig } from '../../src/config/load-config';
import { computeChanges } from '../../src/engine/compute-changes';
import { languageOf } from '../../src/parse/parse-options';
import { parseSource } from '../../src/parse/parse-source';
import { scan } from '../../src/scan/scan';

/**
 * Project fixtures: `__testfixtures__/<transform>/<case>/` holds several files
 * (`<name>.input.<ext>` and `<name>.output.<ext>`, plus any plain file such as package.json),
 * for fixes whose safety depends on other files (the callers of a function). The case is
 * scanned and fixed by the engine as `harden-codemod fix` would, with the findings of the
 * transform's rules (or of the rules listed in the case's `rules.txt`). Every file must come
 * out as its `.output` (an absent output means: unchanged), re-parse, and a second run on the
 * output must change nothing.
 */
const FIXTURES = path.resolve(__dirname, '../../__testfixtures__');
const INPUT = /\.input\.([cm]?[jt]sx?)$/;

interface Case {
  transform: string;
  name: string;
  dir: string;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const transform of fs.readdirSync(FIXTURES)) {
    const tdir = path.join(FIXTURES, transform);
    if (!fs.statSync(tdir).isDirectory()) continue;
    for (const name of fs.readdirSync(tdir)) {
      const dir = path.join(tdir, name);
      if (fs.statSync(dir).isDirectory() && fs.readdirSync(dir, { recursive: true }).some((f) => INPUT.test(String(f))))
        out.push({ transform, name, dir });
    }
  }
  return out;
}

function walk(dir: string, base = dir): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? walk(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))],
    );
}

/** The case as a project in a temp folder: inputs under their real names, outputs left out. */
function materialise(c: Case): { root: string; expected: Map<string, string> } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `hc-project-${c.name}-`));
  const expected = new Map<string, string>();
  for (const rel of walk(c.dir)) {
    if (rel === 'rules.txt' || /\.output\.[cm]?[jt]sx?$/.test(rel)) continue;
    const target = rel.replace('.input.', '.');
    fs.mkdirSync(path.dirname(path.join(root, target)), { recursive: true });
    const text = fs.readFileSync(path.join(c.dir, rel), 'utf8');
    fs.writeFileSync(path.join(root, target), text);
    if (INPUT.test(rel)) {
      const output = path.join(c.dir, rel.replace('.input.', '.output.'));
      expected.set(target, fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : text);
    }
  }
  return { root, expected };
}

async function fixProject(root: string, rules: Set<string>): Promise<Map<string, string>> {
  const config = loadConfig(root);
  const result = scan({ paths: [root], root, config });
  const computed = await computeChanges(result, config, (f) => rules.has(f.ruleId));
  return new Map(computed.changes.filter((ch) => ch.kind === 'modify').map((ch) => [ch.file, ch.after]));
}

describe.each(cases())('project fixture $transform/$name', (c) => {
  const catalog = loadCatalog();
  const listed = path.join(c.dir, 'rules.txt');
  const rules = new Set(
    fs.existsSync(listed)
      ? fs.readFileSync(listed, 'utf8').split(/\s+/).filter(Boolean)
      : catalog.rules.filter((r) => r.transform === c.transform).map((r) => r.id),
  );

  it('fixes every file as its .output says, re-parses, and a second run changes nothing', async () => {
    const { root, expected } = materialise(c);
    const changed = await fixProject(root, rules);
    for (const [file, want] of expected) {
      const got = changed.get(file) ?? fs.readFileSync(path.join(root, file), 'utf8');
      expect(got, file).toBe(want);
      const reparsed = parseSource(got, languageOf(file)!);
      expect(reparsed.ok && reparsed.recovered.length === 0, file).toBe(true);
    }
    // the fixed project, fixed again: nothing more to do on these files
    for (const [file, text] of changed) fs.writeFileSync(path.join(root, file), text);
    const again = await fixProject(root, rules);
    expect([...again.keys()].filter((f) => expected.has(f))).toEqual([]);
  });
});
