import { describe, expect, it } from 'vitest';
import { clientOfModule, clientTable, clientTriggers, parseClientTable } from '../lib/client-table';
import { DEPENDENCY_TRIGGERS } from '../lib/dependency-triggers';

const row = (extra: string): string => `version: 1
clients:
  - id: acme
    name: Acme
    modules: [acme]
    make: [{ new: Acme, options: 1 }]
    dependency: { name: Acme, category: external-api }
    timeout: { keys: [timeout], default: none }
${extra}`;

describe('client table (config/clients.yaml)', () => {
  it('loads the packaged table, with every module of a row reaching the dependency triggers', () => {
    const table = clientTable();
    expect(table.map((c) => c.id)).toEqual(
      expect.arrayContaining(['aws-sdk-v2', 'pg', 'node-redis', 'stripe', 'nodemailer', 'request']),
    );
    const [, exact] = DEPENDENCY_TRIGGERS as RegExp[];
    for (const t of clientTriggers()) {
      expect(exact!.test(`const c = require('${t}');`)).toBe(true);
      expect(exact!.test(`import x from '${t}/sub';`)).toBe(true);
      expect(exact!.test(`import x from './${t}-helpers';`)).toBe(false);
    }
    expect(clientOfModule('aws-sdk/clients/sqs')).toMatchObject({ spec: { id: 'aws-sdk-v2' }, subPath: true });
    expect(clientOfModule('aws-sdk')).toMatchObject({ spec: { id: 'aws-sdk-v2' }, subPath: false });
    expect(clientOfModule('aws-sdk-mock')).toBeNull();
  });

  it('a new client is a row: parsed with its defaults', () => {
    const [acme] = parseClientTable(row('    fix: { set: { timeout: request } }'), 'clients.yaml').clients;
    expect(acme).toMatchObject({
      calls: 'none',
      breaker: true,
      presignOnly: [],
      make: [{ new: 'Acme', options: 1, except: [] }],
    });
  });

  it.each([
    { name: 'neither fix nor notFixable', text: row(''), error: 'give either `fix` or `notFixable`' },
    {
      name: 'an unknown category',
      text: row('    notFixable: by hand').replace('external-api', 'saas'),
      error: 'clients.0.dependency',
    },
    {
      name: 'a make with both new and call',
      text: row('    notFixable: by hand').replace('{ new: Acme, options: 1 }', '{ new: Acme, call: make }'),
      error: 'give exactly one of `new` and `call`',
    },
    {
      name: 'an option path that is not one',
      text: row('    fix: { set: { "a..b": request } }'),
      error: 'must be an option path',
    },
    {
      name: 'a module in two rows',
      text: `${row('    notFixable: by hand')}
  - id: acme2
    name: Acme 2
    modules: [acme]
    make: [{ call: default }]
    dependency: { name: Acme, category: external-api }
    timeout: { keys: [timeout], default: none }
    notFixable: by hand
`,
      error: 'clients.1.modules: "acme" belongs to two clients',
    },
  ])('refuses $name, naming the key', ({ text, error }) => {
    expect(() => parseClientTable(text, 'clients.yaml')).toThrow(error);
  });
});
