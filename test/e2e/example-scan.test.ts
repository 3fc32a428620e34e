import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan/scan';
import { EXAMPLE } from '../helpers/cli';

/** The intended findings, read from the example's own EXPECTED.md table (rule, file, line). */
function expectedFindings(): string[] {
  const md = fs.readFileSync(path.join(EXAMPLE, 'EXPECTED.md'), 'utf8');
  const rows = md.split('\n').filter((l) => /^\| \d+ \| [a-z-]+ \|/.test(l));
  return rows
    .map((row) => {
      const [, , rule, file, line] = row.split('|').map((c) => c.trim());
      return `${rule} ${file}:${line}`;
    })
    .sort();
}

describe('the bundled example, scanned end to end', () => {
  const result = scan({ paths: [EXAMPLE], root: EXAMPLE });
  const actual = result.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`).sort();

  it('reports exactly the findings EXPECTED.md lists, at their lines, and nothing more', () => {
    expect(expectedFindings()).toHaveLength(43);
    expect(actual).toEqual(expectedFindings());
  });

  it("contains every rule of the spec's 16 checks", () => {
    expect(new Set(result.findings.map((f) => f.ruleId)).size).toBeGreaterThanOrEqual(16);
  });

  it('leaves the already-fine files silent', () => {
    for (const file of ['src/handlers/get-order.ts', 'src/clients/inventory-client.ts', 'src/util/parse.ts']) {
      expect(result.findings.filter((f) => f.file === file)).toEqual([]);
    }
  });

  it('discovers the stack, the handlers from serverless.yml and the dependencies', () => {
    const d = result.discovery;
    expect(d.serviceName).toBe('orders-service');
    expect(d.language).toBe('typescript');
    expect(d.iac).toContain('serverless');
    expect(d.frameworks).toEqual(expect.arrayContaining(['express', 'lambda']));
    const handlers = d.lambdaHandlers.map((h) => `${h.file}#${h.exportName}:${h.triggers.join('+')}`);
    expect(handlers).toEqual(
      expect.arrayContaining([
        'src/handlers/create-order.ts#handler:http',
        'src/handlers/get-order.ts#handler:http',
        'src/handlers/process-payment.ts#handler:sqs',
      ]),
    );
    const deps = new Map(d.dependencies.map((dep) => [dep.name, dep.category]));
    expect(deps.get('DynamoDB')).toBe('database');
    expect(deps.get('SQS')).toBe('event-bus');
    expect(deps.get('EventBridge')).toBe('event-bus');
    expect(deps.get('payments API')).toBe('external-api');
    expect([...deps.values()]).toContain('auth-provider');
    expect(d.resilienceLibraries.map((l) => l.name)).toContain('cockatiel');
  });

  it('has no parse warnings on the example', () => {
    expect(result.notes.filter((n) => n.kind === 'parse-error')).toEqual([]);
  });
});
