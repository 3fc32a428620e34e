import { tempTrees } from '../helpers/temp-tree';
import { describe, expect, it } from 'vitest';
import { scan, scanAsync } from '../../src/scan/scan';

/*
 * A circuit breaker defined in another file of the project covers the function it wraps: the
 * rates module's call gets no no-circuit-breaker finding when a route calls it only through
 * opossum (or a cockatiel breaker); a function no breaker wraps keeps its finding.
 */

const tree = tempTrees('breaker-elsewhere');
const MANIFEST = JSON.stringify({
  name: 'svc',
  dependencies: { axios: '^1.0.0', opossum: '^8.0.0', cockatiel: '^3.2.1' },
});
const project = (files: Record<string, string>): string => tree({ 'package.json': MANIFEST, ...files });

const RATES = `import axios from 'axios';
export async function getRates(currency: string) {
  return axios.get('https://fx.example.com/rates/' + currency, { timeout: 2000 });
}
export async function getHolidays() {
  return axios.get('https://calendar.example.com/holidays', { timeout: 2000 });
}
`;

const breakers = (file: string) =>
  scan({ root: file, paths: [file] })
    .findings.filter((f) => f.ruleId === 'no-circuit-breaker')
    .map((f) => `${f.file}:${f.line}`)
    .sort();

describe('no-circuit-breaker: a breaker in another file', () => {
  it('opossum wrapping an imported function covers it; an unwrapped sibling keeps its finding', async () => {
    const root = project({
      'src/rates.ts': RATES,
      'src/routes.ts': `import CircuitBreaker from 'opossum';
import { getRates } from './rates';
const ratesBreaker = new CircuitBreaker(getRates, { timeout: 3000 });
export const rates = (c: string) => ratesBreaker.fire(c);
`,
    });
    expect(breakers(root)).toEqual(['src/rates.ts:6']);
    // the worker and cache path carries the same facts
    const viaAsync = (await scanAsync({ root, paths: [root], cache: false, quiet: true })).findings.filter(
      (f) => f.ruleId === 'no-circuit-breaker',
    );
    expect(viaAsync.map((f) => `${f.file}:${f.line}`)).toEqual(['src/rates.ts:6']);
  });

  it('a cockatiel breaker executing a namespace-imported function (CommonJS) covers it', () => {
    const root = project({
      'src/rates.js': RATES.replace("import axios from 'axios';", "const axios = require('axios').default;").replace(
        /export async function (\w+)/g,
        'exports.$1 = async function $1',
      ),
      'src/handler.js': `const { circuitBreaker, handleAll, ConsecutiveBreaker } = require('cockatiel');
const rates = require('./rates');
const breaker = circuitBreaker(handleAll, { halfOpenAfter: 10000, breaker: new ConsecutiveBreaker(5) });
exports.handler = async (event) => breaker.execute(() => rates.getHolidays());
`,
    });
    expect(breakers(root)).toEqual(['src/rates.js:3']);
  });

  it('a call of the imported function outside any breaker protects nothing', () => {
    const root = project({
      'src/rates.ts': RATES,
      'src/routes.ts': `import { getRates, getHolidays } from './rates';
export const a = (c: string) => getRates(c);
export const b = () => getHolidays();
`,
    });
    expect(breakers(root)).toEqual(['src/rates.ts:3', 'src/rates.ts:6']);
  });
});
