import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig } from '../../src/config/config-schema';
import type { ProjectFacts } from '../../src/detect/detector-api';
import { languageOf, type SourceLanguage } from '../../src/parse/parse-options';

const REPO = path.resolve(__dirname, '..', '..');

/** Code that several detectors report on: a timeout-less client, a swallowed error, console logging. */
export const HANDLER = `import axios from 'axios';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
const db = new DynamoDBClient({});
let cache = {};
export const handler = async (event: { id: string }) => {
  try {
    const res = await axios.get('https://api.example.com/items/' + event.id);
    console.log('fetched', res.data);
    return { statusCode: 200, body: JSON.stringify(res.data) };
  } catch (err) {}
};
`;

export interface SampleFile {
  path: string;
  absPath: string;
  lang: SourceLanguage;
}

/** Real files from installed packages (sorted, so the sample is stable) copied into `dir`, plus `extra`. */
export function sampleFiles(dir: string, count: number, extra: Record<string, string> = {}): SampleFile[] {
  const out: SampleFile[] = [];
  for (const [rel, text] of Object.entries(extra)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
    out.push({ path: rel, absPath: abs, lang: languageOf(rel)! });
  }
  for (const pkg of ['axios/lib', 'express/lib', 'cockatiel/dist', 'jose/dist/node/cjs']) {
    const base = path.join(REPO, 'node_modules', pkg);
    if (!fs.existsSync(base)) continue;
    const files = (fs.readdirSync(base, { recursive: true }) as string[])
      .filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
      .sort();
    for (const f of files) {
      if (out.length >= count) return out;
      // copied under `dir`: a scan's files live under its root
      const rel = `vendor/${pkg}/${f.split(path.sep).join('/')}`;
      const abs = path.join(dir, rel);
      fs.mkdirSync(path.dirname(abs), { recursive: true });
      fs.copyFileSync(path.join(base, f), abs);
      out.push({ path: rel, absPath: abs, lang: languageOf(f)! });
    }
  }
  return out;
}

export function sampleProject(root: string): ProjectFacts {
  return {
    root,
    config: defaultConfig(),
    iacHandlers: new Map([
      [
        'src/handler.ts',
        [{ file: 'src/handler.ts', exportName: 'handler', triggers: ['sqs' as const], source: 'iac' as const }],
      ],
    ]),
    usesLambda: true,
    packageDependencies: new Set(['axios', '@aws-sdk/client-dynamodb']),
  };
}
