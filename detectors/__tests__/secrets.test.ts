import { describe, expect, it } from 'vitest';
import secrets from '../secrets';
import { detect, runCase, type DetectorCase } from '../../test/helpers/detect';

// Built from pieces so that secret scanners do not flag this test file itself.
const AWS_KEY = ['AKIA', 'Z7Q4', 'LM2X', 'PR8T', 'WV3N'].join('');
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'].join(
  '.',
);
const PEM = ['-----BEGIN RSA ', 'PRIVATE KEY-----\\nMIIEowIBAAKCAQEA7d\\n-----END RSA ', 'PRIVATE KEY-----'].join('');

const invalid: DetectorCase[] = [
  {
    name: 'AWS access key id',
    code: `\nexport const creds = { accessKeyId: '${AWS_KEY}' };`,
    expected: ['hardcoded-secret@1'],
  },
  { name: 'private key block in a template', code: `\nconst key = \`${PEM}\`;`, expected: ['hardcoded-secret@1'] },
  { name: 'JWT in a header', code: `\nheaders.Authorization = 'Bearer ${JWT}';`, expected: ['hardcoded-secret@1'] },
  {
    name: 'database password property',
    code: `\nconst pool = new Pool({ user: 'app', password: 'Xk9#mQ2vL7' });`,
    expected: ['hardcoded-secret@1'],
  },
  {
    name: 'API_KEY constant',
    path: 'src/client.js',
    code: `\nconst API_KEY = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';\nmodule.exports = { API_KEY };`,
    expected: ['hardcoded-secret@1'],
  },
  {
    name: 'env fallback literal',
    code: `\nconst jwtSecret = process.env.JWT_SECRET ?? 'supersecretvalue123';`,
    expected: ['hardcoded-secret@1'],
  },
  {
    name: 'assigned to a member',
    code: `\nfunction init(config) {\n  config.clientSecret = 'a8Fq-29xZp-Lk3m';\n}`,
    expected: ['hardcoded-secret@2'],
  },
  {
    name: 'env fallback passed straight as a call argument',
    code: `\nexport const sign = (id: number) => jwt.sign({ id }, process.env.JWT_SECRET || 'superSecret', { expiresIn: '60d' });`,
    expected: ['hardcoded-secret@1'],
  },
  {
    name: 'a word as the default of a signing secret (sessions signed with a known key when the setting is missing)',
    code: `\nmodule.exports = cookieSession({\n  secret: serverSessionSecret() || 'secret',\n  key: 'user',\n});\nconst dbPassword = config.password ?? 'changeme';`,
    expected: ['hardcoded-secret@2', 'hardcoded-secret@5'],
  },
  {
    name: 'parameter default',
    code: `\nexport function connect(apiToken = 'tok_93jfKa82nd') {}`,
    expected: ['hardcoded-secret@1'],
  },
];

const valid: DetectorCase[] = [
  {
    name: 'from the environment',
    code: `const password = process.env.DB_PASSWORD;\nconst apiKey = process.env.API_KEY ?? '';`,
  },
  {
    name: 'placeholders',
    code: `const password = 'changeme';\nconst apiKey = '<your-api-key>';\nconst secret = '\${SECRET}';\nconst token = 'xxxxxxxxxxxx';\nconst dbPassword = 'your_password_here';`,
  },
  { name: 'AWS documentation example key', code: `const accessKeyId = 'AKIAIOSFODNN7EXAMPLE';` },
  {
    name: 'names of secrets, not values',
    code: `const secretName = 'prod/orders/db';\nconst passwordField = 'Xk9#mQ2vL7';\nconst secret = 'arn:aws:secretsmanager:eu-west-1:123:secret:x';\nconst tokenHeader = 'X-Auth-Token';`,
  },
  {
    name: 'pagination tokens and labels',
    code: `const nextToken = 'a8Fq29xZpLk3m';\nconst API_KEY_HEADER = 'x-api-key';\nconst password = 'Password is required';`,
  },
  {
    name: 'low-entropy and short values',
    code: `const password = 'aaaaaaaa';\nconst token = 'abc';\nconst apiKey = 'orders-api-key';`,
  },
  { name: 'test fixture password', path: 'src/__tests__/login.test.ts', code: `const password = 'Xk9#mQ2vL7';` },
  {
    name: 'a token-type table whose values spell their keys',
    code: `const tokenTypes = { ACCESS: 'access', RESET_PASSWORD: 'resetPassword', API_KEY: 'apiKey', VERIFY_EMAIL: 'verifyEmail' };`,
  },
  {
    name: 'a slot to fill in, or nothing, as the default of a secret',
    code: `const apiKey = process.env.API_KEY || '<your-api-key>';\nconst token = process.env.TOKEN ?? '';\nconst secret = process.env.SECRET || '\${SECRET}';`,
  },
  {
    name: 'an env fallback for a setting that is no secret, as a call argument',
    code: `app.listen(process.env.PORT || 'Xk9#mQ2vL7');`,
  },
  { name: 'a comparison, not an assignment', code: `if (input === 'Xk9#mQ2vL7') deny();\nconst keyId = 'Xk9#mQ2vL7';` },
];

describe('secrets detector', () => {
  it.each(invalid)('flags: $name', (c) => {
    expect(runCase(secrets, c)).toEqual(c.expected);
  });
  it.each(valid)('stays silent: $name', (c) => {
    expect(runCase(secrets, c)).toEqual([]);
  });
  it.each([
    ['AWS key', `export const k = '${AWS_KEY}';`, AWS_KEY],
    ['JWT', `export const t = '${JWT}';`, JWT],
    ['named', `const dbPassword = 'Xk9#mQ2vL7';`, 'Xk9#mQ2vL7'],
  ])('never shows the value (%s)', (_name, code, value) => {
    const findings = detect(secrets, code);
    expect(findings).toHaveLength(1);
    const text = JSON.stringify(findings);
    expect(text).not.toContain(value);
    expect(text).not.toContain(value.slice(0, 8));
    expect(findings[0]!.message).toContain(`${value.slice(0, 4)}… (${value.length} chars)`);
  });
});
