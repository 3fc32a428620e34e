import { describe, expect, it } from 'vitest';
import lambdaState from '../lambda-state';
import { detect, ids } from '../../test/helpers/detect';

interface Case {
  name: string;
  code: string;
  path?: string;
  expected?: string[];
}

const invalid: Case[] = [
  {
    name: 'cockatiel breaker at module scope',
    code: `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nconst breaker = circuitBreaker(handleAll, {\n  halfOpenAfter: 10_000,\n  breaker: new ConsecutiveBreaker(5),\n});\nexport const handler = async () => breaker.execute(() => call());`,
    expected: ['shared-mutable-state@2'],
  },
  {
    name: 'breaker inside wrap(...)',
    code: `import { wrap, retry, circuitBreaker, handleAll, ExponentialBackoff, SamplingBreaker } from 'cockatiel';\nexport const policy = wrap(\n  retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),\n  circuitBreaker(handleAll, { halfOpenAfter: 5000, breaker: new SamplingBreaker({ threshold: 0.2, duration: 30_000 }) }),\n);`,
    expected: ['shared-mutable-state@4'],
  },
  {
    name: 'CommonJS namespace require',
    path: 'src/client.js',
    code: `const cockatiel = require('cockatiel');\nconst cb = cockatiel.circuitBreaker(cockatiel.handleAll, { halfOpenAfter: 1000, breaker: new cockatiel.ConsecutiveBreaker(3) });\nmodule.exports = { cb };`,
    expected: ['shared-mutable-state@2'],
  },
  {
    name: 'opossum CircuitBreaker at module scope',
    path: 'src/payments.js',
    code: `const CircuitBreaker = require('opossum');\nconst breaker = new CircuitBreaker(charge, { timeout: 3000 });\nexports.handler = async (e) => breaker.fire(e);`,
    expected: ['shared-mutable-state@2'],
  },
  {
    name: 'policyFor from the generated policies module',
    code: `import { policyFor } from '../resilience/policies';\nconst payments = policyFor('payments-api');\nexport const handler = async () => payments.execute(() => pay());`,
    expected: ['shared-mutable-state@2'],
  },
  {
    name: 'factory function called at module scope',
    code: `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nfunction makeBreaker() {\n  return circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(2) });\n}\nconst breaker = makeBreaker();`,
    expected: ['shared-mutable-state@5'],
  },
  {
    name: 'initialState given as undefined does not hydrate',
    code: `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nconst b = circuitBreaker(handleAll, { halfOpenAfter: 1, breaker: new ConsecutiveBreaker(2), initialState: undefined });`,
    expected: ['shared-mutable-state@2'],
  },
  {
    name: 'static class field',
    code: `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nclass Client {\n  static breaker = circuitBreaker(handleAll, { halfOpenAfter: 1, breaker: new ConsecutiveBreaker(2) });\n}`,
    expected: ['shared-mutable-state@3'],
  },
];

const valid: Case[] = [
  {
    name: 'breaker hydrated with initialState',
    code: `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nconst state = await loadState();\nconst breaker = circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(5), initialState: state });`,
  },
  {
    name: 'initialState shorthand',
    code: `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nconst initialState = JSON.parse(process.env.STATE ?? 'null');\nconst b = circuitBreaker(handleAll, { breaker: new ConsecutiveBreaker(5), halfOpenAfter: 1, initialState });`,
  },
  {
    name: 'breaker created inside the handler',
    code: `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nexport const handler = async () => {\n  const b = circuitBreaker(handleAll, { halfOpenAfter: 1, breaker: new ConsecutiveBreaker(2) });\n  return b.execute(() => work());\n};`,
  },
  {
    name: 'opossum with hydrated state',
    path: 'src/a.js',
    code: `const CircuitBreaker = require('opossum');\nconst breaker = new CircuitBreaker(fn, { timeout: 3000, state: previousState });`,
  },
  {
    name: 'a local circuitBreaker function, not cockatiel',
    code: `function circuitBreaker(x) { return x; }\nconst b = circuitBreaker(1);`,
  },
  {
    name: 'a CircuitBreaker class that is not opossum',
    code: `import { CircuitBreaker } from './my-breaker';\nconst b = new CircuitBreaker();`,
  },
  {
    name: 'policyFor called inside the handler',
    code: `import { policyFor } from './resilience/policies';\nexport const handler = async () => policyFor('x').execute(() => call());`,
  },
  {
    name: 'policyFor from an unrelated module',
    code: `import { policyFor } from './auth/permissions';\nconst p = policyFor('admin');`,
  },
  {
    name: 'retry only',
    code: `import { retry, handleAll, ExponentialBackoff } from 'cockatiel';\nconst r = retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() });`,
  },
  {
    name: 'instance field (one breaker per instance)',
    code: `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nclass Client {\n  breaker = circuitBreaker(handleAll, { halfOpenAfter: 1, breaker: new ConsecutiveBreaker(2) });\n}`,
  },
];

describe('lambda-state detector', () => {
  it.each(invalid)('flags: $name', ({ code, path, expected }) => {
    expect(ids(detect(lambdaState, code, { path }))).toEqual(expected);
  });
  it.each(valid)('stays silent: $name', ({ code, path }) => {
    expect(detect(lambdaState, code, { path })).toEqual([]);
  });
  it('scopes the raw finding to Lambda and names the library', () => {
    const [cockatiel] = detect(lambdaState, invalid[0]!.code);
    expect(cockatiel?.data).toEqual({ scope: 'lambda', library: 'cockatiel', initialState: false });
    const [opossum] = detect(lambdaState, invalid[3]!.code, { path: 'src/payments.js' });
    expect(opossum?.data).toMatchObject({ scope: 'lambda', library: 'opossum' });
    const [policies] = detect(lambdaState, invalid[4]!.code);
    expect(policies?.data).toEqual({ scope: 'lambda', library: 'policies-module', initialState: false });
    const [undefinedState] = detect(lambdaState, invalid[6]!.code);
    expect(undefinedState?.data).toMatchObject({ scope: 'lambda', initialState: true });
  });
});
