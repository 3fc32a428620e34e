import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../config/config-schema';
import { cdkNeed } from '../needs/cdk-needs';
import type { InfraNeed } from '../needs/infra-needs';
import { jsonNeed } from '../needs/json-needs';
import { templateNeed } from '../needs/template-needs';
import { parseYaml } from '../yaml-tags';
import { templateProblems } from '../../../test/helpers/template-structure';

/* The writers of what code fixes need, per format, on the shapes the per-format fixtures do not cover. */

const IDEMPOTENCY: InfraNeed = { kind: 'idempotency-table', exportName: 'handler', envVar: 'IDEMPOTENCY_TABLE' };
const SSM: InfraNeed = { kind: 'ssm-parameters', pathPrefix: '/resilience/breakers/' };

function ok(out: { after: string } | { error: string }): string {
  if ('error' in out) throw new Error(out.error);
  return out.after;
}

const CFN = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Work:
    Type: AWS::SQS::Queue
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      Role: !GetAtt Role.Arn
      Code: src/
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      EventSourceArn: !GetAtt Work.Arn
`;

describe('template-needs (SAM / CloudFormation YAML)', () => {
  it('a plain function with a template role: the grant is an AWS::IAM::Policy on that role; the mapping reports batch failures', () => {
    const after = ok(templateNeed(CFN, 'Fn', IDEMPOTENCY));
    expect(after).toContain(
      '  FnIdempotencyAccess:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: FnIdempotencyAccess\n      Roles:\n        - !Ref Role\n',
    );
    expect(after).toContain('            Resource: !GetAtt IdempotencyTable.Arn\n  Mapping:');
    expect(after).toContain(
      '      EventSourceArn: !GetAtt Work.Arn\n      FunctionResponseTypes:\n        - ReportBatchItemFailures\n',
    );
    expect(after).toContain(
      '      Environment:\n        Variables:\n          IDEMPOTENCY_TABLE: !Ref IdempotencyTable\n',
    );
    expect(templateProblems('template.yaml', after, CFN)).toEqual([]);
    expect(ok(templateNeed(after, 'Fn', IDEMPOTENCY)).includes('IdempotencyTable2')).toBe(false);
  });

  it('SSM parameters: a statement on the parameter path, with the partition, region and account of the stack', () => {
    const after = ok(templateNeed(CFN, 'Fn', SSM));
    expect(after).toContain(
      "Resource: !Sub 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/resilience/breakers/*'",
    );
    expect(after).toMatch(/- ssm:GetParameter\n\s+- ssm:PutParameter/);
    expect(templateProblems('template.yaml', after, CFN)).toEqual([]);
  });

  it('a role the template does not declare, or FunctionResponseTypes without the batch failures: refused with the reason', () => {
    expect(
      templateNeed(CFN.replace('Role: !GetAtt Role.Arn', 'Role: arn:aws:iam::1:role/shared'), 'Fn', IDEMPOTENCY),
    ).toEqual({ error: 'Fn runs with a role this template does not declare: grant it access by hand' });
    expect(
      templateNeed(
        CFN.replace(
          '      EventSourceArn: !GetAtt Work.Arn\n',
          '      EventSourceArn: !GetAtt Work.Arn\n      FunctionResponseTypes: []\n',
        ),
        'Fn',
        IDEMPOTENCY,
      ),
    ).toEqual({
      error: 'event source mapping Mapping has FunctionResponseTypes without ReportBatchItemFailures: add it by hand',
    });
  });

  it('a SAM function with an explicit role goes through the role, and one without Policies gets a Policies list', () => {
    const sam = `Transform: AWS::Serverless-2016-10-31\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.handler\n      Events:\n        Q:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Q.Arn\n`;
    const plain = ok(templateNeed(sam, 'Fn', IDEMPOTENCY));
    expect(plain).toContain(
      '      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: !Ref IdempotencyTable\n',
    );
    expect(parseYaml(plain).ok).toBe(true);
    const withRole =
      sam.replace('      Handler: a.handler\n', '      Handler: a.handler\n      Role: !GetAtt R.Arn\n') +
      '  R:\n    Type: AWS::IAM::Role\n';
    expect(ok(templateNeed(withRole, 'Fn', IDEMPOTENCY))).toContain('      Roles:\n        - !Ref R\n');
  });
});

describe('json-needs (CloudFormation JSON)', () => {
  it('SSM parameters through the role of a plain function', () => {
    const json = JSON.stringify(
      {
        Resources: {
          Role: { Type: 'AWS::IAM::Role' },
          Fn: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
        },
      },
      null,
      2,
    );
    const after = JSON.parse(ok(jsonNeed(json, 'Fn', SSM))) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    expect(Object.keys(after.Resources)).toEqual(['Role', 'Fn', 'FnParameterAccess']);
    expect(after.Resources.FnParameterAccess!.Properties.Roles).toEqual([{ Ref: 'Role' }]);
  });
});

describe('cdk-needs', () => {
  const stack = (body: string) =>
    `import * as cdk from 'aws-cdk-lib';\nimport * as lambda from 'aws-cdk-lib/aws-lambda';\nexport class S extends cdk.Stack {\n  constructor(scope: cdk.App, id: string) {\n    super(scope, id);\n${body}  }\n}\n`;
  const file = (text: string) => ({ path: 'lib/s.ts', absPath: '/p/lib/s.ts', text });

  it('SSM parameters: addToRolePolicy with the parameter ARN of the stack', () => {
    const text = stack("    const fn = new lambda.Function(this, 'Fn', { handler: 'a.handler' });\n");
    const after = ok(cdkNeed(file(text), 'Fn', SSM, defaultConfig()));
    expect(after).toContain("import * as iam from 'aws-cdk-lib/aws-iam';");
    expect(after).toContain(
      "fn.addToRolePolicy(new iam.PolicyStatement({\n      actions: ['ssm:GetParameter', 'ssm:PutParameter'],\n      resources: [cdk.Stack.of(this).formatArn({ service: 'ssm', resource: 'parameter', resourceName: 'resilience/breakers/*' })],\n    }));",
    );
    expect(templateProblems('lib/s.ts', after)).toEqual([]);
  });

  it('refuses a function that is not assigned to a variable, or has no SqsEventSource here', () => {
    expect(
      cdkNeed(
        file(stack("    new lambda.Function(this, 'Fn', { handler: 'a.handler' });\n")),
        'Fn',
        IDEMPOTENCY,
        defaultConfig(),
      ),
    ).toEqual({ error: 'function Fn is not assigned to a variable: the table cannot be granted to it' });
    expect(
      cdkNeed(
        file(stack("    const fn = new lambda.Function(this, 'Fn', { handler: 'a.handler' });\n")),
        'Fn',
        IDEMPOTENCY,
        defaultConfig(),
      ),
    ).toEqual({
      error: 'no SqsEventSource is attached to Fn in this file: partial batch failures cannot be turned on',
    });
  });

  it("an SqsEventSource in the function's events prop gets reportBatchItemFailures too", () => {
    const text = stack(
      "    const q = new cdk.aws_sqs.Queue(this, 'Q');\n    const fn = new lambda.Function(this, 'Fn', { handler: 'a.handler', events: [new SqsEventSource(q)] });\n",
    );
    const after = ok(cdkNeed(file(text), 'Fn', IDEMPOTENCY, defaultConfig()));
    expect(after).toContain('new SqsEventSource(q, {\n      reportBatchItemFailures: true\n    })');
    expect(after).toContain("fn.addEnvironment('IDEMPOTENCY_TABLE', fnIdempotencyTable.tableName);");
  });
});
