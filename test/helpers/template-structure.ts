import { parseSource } from '../../src/parse/parse-source';
import { referencedIds } from '../../src/iac/intrinsics';
import { YamlReader } from '../../src/iac/yaml-nodes';
import { parseYaml } from '../../src/iac/yaml-tags';
import { isMap, isScalar, isSeq, type Node } from 'yaml';

/**
 * cfn-lint-style structural checks of a template the fix wrote: it parses; every Ref, GetAtt,
 * Sub variable and condition it uses names something the template declares (or a pseudo
 * parameter, or a resource the SAM / Serverless Framework transform generates); no parameter
 * is required input (a Default). With `before`, only the problems the fix brought are returned.
 * A CDK stack must parse.
 */
export function templateProblems(file: string, text: string, before?: string): string[] {
  const now = problemsOf(file, text);
  if (before === undefined) return now;
  const had = new Set(problemsOf(file, before));
  return now.filter((p) => !had.has(p));
}

function problemsOf(file: string, text: string): string[] {
  if (/\.[cm]?[jt]sx?$/.test(file)) {
    const parsed = parseSource(text, file.endsWith('.ts') ? 'ts' : 'js');
    return parsed.ok && parsed.recovered.length === 0 ? [] : [`${file} does not parse`];
  }
  const parsed = parseYaml(text);
  if (!parsed.ok) return [`${file} does not parse: ${parsed.message}`];
  const r = new YamlReader(parsed.parsed.doc, parsed.parsed.lines);
  const root = r.doc.contents;
  const serverless = r.get(root, 'service') !== undefined || r.get(root, 'functions') !== undefined;
  const resources = serverless ? r.get(root, 'resources', 'Resources') : r.get(root, 'Resources');
  const conditions = serverless ? r.get(root, 'resources', 'Conditions') : r.get(root, 'Conditions');
  const declared = new Set([
    ...r.entries(resources).map((e) => e.key),
    ...r.entries(r.get(root, 'Parameters')).map((e) => e.key),
  ]);
  const conditionNames = new Set(r.entries(conditions).map((e) => e.key));
  const functions = serverless
    ? r
        .entries(r.get(root, 'functions'))
        .map(
          (e) =>
            `${e.key.charAt(0).toUpperCase()}${e.key.slice(1).replace(/-/g, 'Dash').replace(/_/g, 'Underscore')}LambdaFunction`,
        )
    : r
        .entries(resources)
        .filter((e) => r.str(r.get(e.value, 'Type')) === 'AWS::Serverless::Function')
        .map((e) => e.key);
  // resources a transform generates: SAM `<Function>Role`, serverless `<Name>LambdaFunction`
  const generated = (id: string) =>
    functions.some((f) => id === f || id.startsWith(f)) ||
    /^(IamRoleLambdaExecution|ServerlessDeploymentBucket|ServerlessRestApi|HttpApi)/.test(id);
  const problems: string[] = [];
  for (const id of referencedIds(r, resources)) {
    if (!declared.has(id) && !id.startsWith('AWS::') && !generated(id))
      problems.push(`${file}: reference to ${id}, which the template does not declare`);
  }
  if (serverless) {
    for (const id of [...referencedIds(r, r.get(root, 'functions')), ...referencedIds(r, r.get(root, 'provider'))]) {
      if (!declared.has(id) && !generated(id))
        problems.push(`${file}: reference to ${id}, which the template does not declare`);
    }
  }
  const walk = (n: unknown): void => {
    const node = r.deref(n) as Node | undefined;
    if (!node) return;
    if ((node as { tag?: string }).tag === '!If' && isSeq(node)) {
      const name = r.str(node.items[0]);
      if (name && !conditionNames.has(name)) problems.push(`${file}: condition ${name} is not declared`);
    }
    if (isMap(node)) {
      for (const e of r.entries(node)) {
        if (e.key === 'Fn::If') {
          const name = r.str(r.items(e.value)[0]);
          if (name && !conditionNames.has(name)) problems.push(`${file}: condition ${name} is not declared`);
        }
        walk(e.value);
      }
    } else if (isSeq(node)) node.items.forEach(walk);
    else if (!isScalar(node)) return;
  };
  walk(root);
  for (const { key, value } of r.entries(r.get(root, 'Parameters'))) {
    if (r.get(value, 'Default') === undefined)
      problems.push(`${file}: parameter ${key} has no Default: every deploy would need it`);
  }
  return problems;
}
