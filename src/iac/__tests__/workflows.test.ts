import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { operationalWorkflows } from '../workflows';
import { scanFixture } from './scan-fixture';

type Workflow = {
  on: { workflow_dispatch: { inputs: Record<string, { type: string; default?: unknown; options?: string[] }> } };
  permissions: Record<string, string>;
  jobs: { run: { environment: string; steps: Array<{ uses?: string; with?: Record<string, string>; run?: string }> } };
};

describe('operationalWorkflows', () => {
  const result = scanFixture('sam');
  const generated = operationalWorkflows(result, () => false);
  const byName = new Map(generated.map((g) => [g.path, { ...g, yaml: parse(g.content) as Workflow }]));

  it('generates the replay and breaker workflows for a project with buses and Lambda handlers (redrive: one per service, redrive-workflows.ts)', () => {
    expect([...byName.keys()]).toEqual([
      '.github/workflows/eventbridge-replay.yml',
      '.github/workflows/breaker-force-close.yml',
    ]);
  });

  it.each([...byName.keys()])('%s: OIDC, protected environment, dry run by default', (p) => {
    const w = byName.get(p)!.yaml;
    expect(w.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    const inputs = w.on.workflow_dispatch.inputs;
    expect(inputs.environment).toMatchObject({ type: 'choice', options: ['staging', 'production'] });
    expect(inputs.dry_run).toMatchObject({ type: 'boolean', default: true });
    expect(w.jobs.run.environment).toBe('${{ inputs.environment }}');
    const creds = w.jobs.run.steps.find((s) => s.uses === 'aws-actions/configure-aws-credentials@v4');
    expect(creds?.with?.['role-to-assume']).toBe('${{ secrets.AWS_ROLE_ARN }}');
    expect(byName.get(p)!.content).not.toMatch(/aws-access-key-id|aws-secret-access-key/);
  });

  it('the replay and breaker workflows carry their inputs and commands', () => {
    const replay = byName.get('.github/workflows/eventbridge-replay.yml')!;
    expect(Object.keys(replay.yaml.on.workflow_dispatch.inputs)).toEqual([
      'environment',
      'archive',
      'start_time',
      'end_time',
      'dry_run',
    ]);
    expect(replay.yaml.on.workflow_dispatch.inputs.archive!.options).toEqual(['ShortArchive', 'AuditBusArchive']);
    expect(replay.content).toContain('aws events start-replay');
    const breaker = byName.get('.github/workflows/breaker-force-close.yml')!;
    expect(Object.keys(breaker.yaml.on.workflow_dispatch.inputs)).toEqual(['environment', 'dependency', 'dry_run']);
    expect(breaker.content).toContain('/resilience/breakers/$DEPENDENCY');
    expect(breaker.content).toContain('aws ssm put-parameter');
  });

  it('never overwrites an existing file', () => {
    const out = operationalWorkflows(result, (p) => p.endsWith('eventbridge-replay.yml'));
    expect(out.map((g) => g.path)).toEqual(['.github/workflows/breaker-force-close.yml']);
  });

  it('generates nothing for resources that are not there', () => {
    expect(
      operationalWorkflows(
        { findings: [], handlers: [], kinds: [], notes: [], resources: { dlqs: [], buses: [], archives: [] } },
        () => false,
      ),
    ).toEqual([]);
  });
});
