import { describe, expect, it } from 'vitest';
import secrets from '../secrets';
import { detect } from '../../test/helpers/detect';
import { testDetector, type DetectorTestCase, type InvalidCase } from '../../test/helpers/detector-tester';

// Built from pieces so that secret scanners do not flag this test file itself.
const AWS_KEY = ['AKIA', 'Z7Q4', 'LM2X', 'PR8T', 'WV3N'].join('');
const JWT = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'].join(
  '.',
);
const PEM = ['-----BEGIN RSA ', 'PRIVATE KEY-----\\nMIIEowIBAAKCAQEA7d\\n-----END RSA ', 'PRIVATE KEY-----'].join('');

const invalid: InvalidCase[] = [
  {
    name: 'AWS access key id',
    code: `\nexport const creds = { accessKeyId: '${AWS_KEY}' };`,
    errors: [{ messageId: 'secretLiteral', line: 1, column: 37 }],
  },
  {
    name: 'private key block in a template',
    code: `\nconst key = \`${PEM}\`;`,
    errors: [{ messageId: 'secretLiteral', line: 1, column: 13 }],
  },
  {
    name: 'JWT in a header',
    code: `\nheaders.Authorization = 'Bearer ${JWT}';`,
    errors: [{ messageId: 'secretLiteral', line: 1, column: 25 }],
  },
  {
    name: 'database password property',
    code: `\nconst pool = new Pool({ user: 'app', password: 'Xk9#mQ2vL7' });`,
    errors: [{ messageId: 'secretNamedValue', line: 1, column: 48 }],
  },
  {
    name: 'API_KEY constant',
    filename: 'src/client.js',
    code: `\nconst API_KEY = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';\nmodule.exports = { API_KEY };`,
    errors: [{ messageId: 'secretNamedValue', line: 1, column: 17 }],
  },
  {
    name: 'env fallback literal',
    code: `\nconst jwtSecret = process.env.JWT_SECRET ?? 'supersecretvalue123';`,
    errors: [{ messageId: 'secretNamedValue', line: 1, column: 45 }],
  },
  {
    name: 'assigned to a member',
    code: `\nfunction init(config) {\n  config.clientSecret = 'a8Fq-29xZp-Lk3m';\n}`,
    errors: [{ messageId: 'secretNamedValue', line: 2, column: 25 }],
  },
  {
    name: 'env fallback passed straight as a call argument',
    code: `\nexport const sign = (id: number) => jwt.sign({ id }, process.env.JWT_SECRET || 'superSecret', { expiresIn: '60d' });`,
    errors: [{ messageId: 'secretNamedValue', line: 1, column: 80 }],
  },
  {
    name: 'a word as the default of a signing secret (sessions signed with a known key when the setting is missing)',
    code: `\nmodule.exports = cookieSession({\n  secret: serverSessionSecret() || 'secret',\n  key: 'user',\n});\nconst dbPassword = config.password ?? 'changeme';`,
    errors: [
      { messageId: 'secretNamedValue', line: 2, column: 36 },
      { messageId: 'secretNamedValue', line: 5, column: 39 },
    ],
  },
  {
    name: 'parameter default',
    code: `\nexport function connect(apiToken = 'tok_93jfKa82nd') {}`,
    errors: [{ messageId: 'secretNamedValue', line: 1, column: 36 }],
  },
];

const valid: DetectorTestCase[] = [
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
  { name: 'test fixture password', filename: 'src/__tests__/login.test.ts', code: `const password = 'Xk9#mQ2vL7';` },
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

testDetector('secrets detector', secrets, { valid, invalid });

describe('secrets detector', () => {
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
