import { describe, expect, it } from 'vitest';
import { templateProblems } from '../helpers/template-structure';

describe('the structural template check used on fixed templates', () => {
  const broken = [
    'Parameters:',
    '  Topic:',
    '    Type: String',
    'Resources:',
    '  Q:',
    '    Type: AWS::SQS::Queue',
    '  A:',
    '    Type: AWS::CloudWatch::Alarm',
    '    Properties:',
    '      Dimensions:',
    '        - Value: !GetAtt Missing.QueueName',
    "      AlarmActions: !If [HasTopic, [!Ref Topic], !Ref 'AWS::NoValue']",
    "      AlarmDescription: !Sub '${Q.Arn} in ${AWS::Region}'",
    '',
  ].join('\n');

  it('finds dangling references, undeclared conditions and parameters without a default', () => {
    expect(templateProblems('t.yaml', broken)).toEqual([
      't.yaml: reference to Missing, which the template does not declare',
      't.yaml: condition HasTopic is not declared',
      't.yaml: parameter Topic has no Default: every deploy would need it',
    ]);
  });

  it('reports only what a fix brought when given the text before it', () => {
    const before = broken.replace("      AlarmActions: !If [HasTopic, [!Ref Topic], !Ref 'AWS::NoValue']\n", '');
    expect(templateProblems('t.yaml', broken, before)).toEqual(['t.yaml: condition HasTopic is not declared']);
  });

  it('accepts what the SAM and serverless transforms generate', () => {
    expect(
      templateProblems(
        'template.yaml',
        'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n  P:\n    Type: AWS::IAM::Policy\n    Properties:\n      Roles: [!Ref FnRole]\n',
      ),
    ).toEqual([]);
    expect(
      templateProblems(
        'serverless.yml',
        'service: s\nfunctions:\n  my-fn:\n    handler: h.h\nresources:\n  Resources:\n    X:\n      Type: AWS::Lambda::Permission\n      Properties:\n        FunctionName: !Ref MyDashfnLambdaFunction\n',
      ),
    ).toEqual([]);
  });
});
