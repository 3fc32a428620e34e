import { describe, expect, it } from 'vitest';
import lambdaState from '../lambda-state';
import { detect } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';

const invalid: InvalidCase[] = [
  {
    name: 'cockatiel breaker at module scope',
    code: `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nconst breaker = circuitBreaker(handleAll, {\n  halfOpenAfter: 10_000,\n  breaker: new ConsecutiveBreaker(5),\n});\nexport const handler = async () => breaker.execute(() => call());`,
    errors: [{ messageId: 'moduleScopeBreaker', line: 2, column: 17 }],
  },
  {
    name: 'breaker inside wrap(...)',
    code: `import { wrap, retry, circuitBreaker, handleAll, ExponentialBackoff, SamplingBreaker } from 'cockatiel';\nexport const policy = wrap(\n  retry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff() }),\n  circuitBreaker(handleAll, { halfOpenAfter: 5000, breaker: new SamplingBreaker({ threshold: 0.2, duration: 30_000 }) }),\n);`,
    errors: [{ messageId: 'moduleScopeBreaker', line: 4, column: 3 }],
  },
  {
    name: 'CommonJS namespace require',
    filename: 'src/client.js',
    code: `const cockatiel = require('cockatiel');\nconst cb = cockatiel.circuitBreaker(cockatiel.handleAll, { halfOpenAfter: 1000, breaker: new cockatiel.ConsecutiveBreaker(3) });\nmodule.exports = { cb };`,
    errors: [{ messageId: 'moduleScopeBreaker', line: 2, column: 12 }],
  },
  {
    name: 'opossum CircuitBreaker at module scope',
    filename: 'src/payments.js',
    code: `const CircuitBreaker = require('opossum');\nconst breaker = new CircuitBreaker(charge, { timeout: 3000 });\nexports.handler = async (e) => breaker.fire(e);`,
    errors: [{ messageId: 'moduleScopeBreaker', line: 2, column: 17 }],
  },
  {
    name: 'policyFor from the generated policies module',
    code: `import { policyFor } from '../resilience/policies';\nconst payments = policyFor('payments-api');\nexport const handler = async () => payments.execute(() => pay());`,
    errors: [{ messageId: 'moduleScopeBreaker', line: 2, column: 18 }],
  },
  {
    name: 'factory function called at module scope',
    code: `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nfunction makeBreaker() {\n  return circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(2) });\n}\nconst breaker = makeBreaker();`,
    errors: [{ messageId: 'moduleScopeBreaker', line: 5, column: 17 }],
  },
  {
    name: 'initialState given as undefined does not hydrate',
    code: `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nconst b = circuitBreaker(handleAll, { halfOpenAfter: 1, breaker: new ConsecutiveBreaker(2), initialState: undefined });`,
    errors: [{ messageId: 'moduleScopeBreaker', line: 2, column: 11 }],
  },
  {
    name: 'static class field',
    code: `import { circuitBreaker, handleAll, ConsecutiveBreaker } from 'cockatiel';\nclass Client {\n  static breaker = circuitBreaker(handleAll, { halfOpenAfter: 1, breaker: new ConsecutiveBreaker(2) });\n}`,
    errors: [{ messageId: 'moduleScopeBreaker', line: 3, column: 20 }],
  },
];

const valid: DetectorTestCase[] = [
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
    filename: 'src/a.js',
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

testDetector('lambda-state detector', lambdaState, { valid, invalid });

describe('lambda-state detector', () => {
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
