import type { Node } from '@babel/types';
import type { CodeDetector, DetectorContext } from '../src/detect/detector-api';
import type { NodePath } from '../src/parse/walk';
import { NON_SERVICE_PATH } from './lib/http-servers';
import { keyName, propertyName } from './lib/node-text';
import {
  isSecretName,
  looksLikeSecretValue,
  maskSecret,
  namesItself,
  secretPatternOf,
  type SecretKind,
} from './lib/secret-values';

const RULE = 'hardcoded-secret';
/** A slot to fill in (`<your-key>`, `${KEY}`, `xxxx`): no usable value even as a default. */
const TEMPLATE_PLACEHOLDER = /<[^>]*>|\$\{|\{\{|your[-_ ]|x{3,}|\*{3,}|%s/i;

const KIND_LABEL: Record<SecretKind, string> = {
  'aws-access-key': 'AWS access key id',
  'private-key': 'private key block',
  jwt: 'JSON Web Token',
  named: 'credential',
};

/**
 * The name a literal is given: the variable, property, parameter default or class field it
 * initialises, looking through fallbacks (`process.env.X ?? 'literal'`) and conditionals.
 */
function targetName(path: NodePath): string | null {
  let child: NodePath = path;
  let p = path.parent;
  /** `process.env.JWT_SECRET || 'literal'`: the setting the literal stands in for */
  let envName: string | null = null;
  while (p) {
    const n = p.node;
    const viaFallback = n.type === 'LogicalExpression' && p.node !== child.node && child.key === 'right';
    if (viaFallback) envName ??= envSetting(n.left);
    const viaBranch = n.type === 'ConditionalExpression' && child.key !== 'test';
    const viaCast =
      n.type === 'TSAsExpression' ||
      n.type === 'TSSatisfiesExpression' ||
      n.type === 'ParenthesizedExpression' ||
      n.type === 'TSNonNullExpression';
    if (!viaFallback && !viaBranch && !viaCast) break;
    child = p;
    p = p.parent;
  }
  if (!p) return envName;
  const n = p.node;
  // passed straight as an argument (`jwt.sign(payload, process.env.JWT_SECRET || 'literal')`)
  if ((n.type === 'CallExpression' || n.type === 'NewExpression') && child.key === 'arguments') return envName;
  if (n.type === 'VariableDeclarator' && child.key === 'init') return n.id.type === 'Identifier' ? n.id.name : null;
  if ((n.type === 'ObjectProperty' || n.type === 'ClassProperty') && child.key === 'value')
    return n.type === 'ObjectProperty' ? keyName(n) : n.key.type === 'Identifier' ? n.key.name : null;
  if (n.type === 'AssignmentPattern' && child.key === 'right') return n.left.type === 'Identifier' ? n.left.name : null;
  if (n.type === 'AssignmentExpression' && child.key === 'right') {
    if (n.left.type === 'Identifier') return n.left.name;
    return propertyName(n.left);
  }
  return null;
}

/** The right side of `a || 'literal'` / `a ?? 'literal'`: a default used when the real value is missing. */
function isFallback(path: NodePath): boolean {
  const p = path.parent?.node;
  return p?.type === 'LogicalExpression' && p.operator !== '&&' && path.key === 'right';
}

/** `process.env.NAME`, `process.env['NAME']`: the setting's name. */
function envSetting(node: Node): string | null {
  if (node.type !== 'MemberExpression') return null;
  const obj = node.object;
  if (
    obj.type !== 'MemberExpression' ||
    obj.object.type !== 'Identifier' ||
    obj.object.name !== 'process' ||
    propertyName(obj) !== 'env'
  )
    return null;
  return propertyName(node);
}

/** Flags credentials written into the source: AWS keys, private keys, JWTs, literal passwords and API keys. */
const secrets: CodeDetector = {
  name: 'secrets',
  ruleIds: [RULE],
  // the value patterns need their own prefixes; the name heuristic a name whose last word
  // (or `<qualifier> key` pair) isSecretName accepts, in any case and separator style
  triggers: [
    'AKIA',
    'ASIA',
    'PRIVATE KEY',
    'eyJ',
    /passw(?:or)?d|passphrase|pwd|secret|token|apikey|credential|(?:api|private|secret|signing|encryption|master|access|client|app)[\s_.$-]*key/i,
  ],
  create(ctx: DetectorContext) {
    const inTests = NON_SERVICE_PATH.test(ctx.file.path);
    const check = (path: NodePath, value: string): void => {
      if (path.key === 'key' || path.key === 'source' || path.parent?.node.type === 'TSLiteralType') return;
      const kind = secretPatternOf(value);
      if (kind) {
        ctx.report({
          ruleId: RULE,
          node: path.node,
          messageId: 'secretLiteral',
          message: `${KIND_LABEL[kind]} ${maskSecret(value)} is hard-coded`,
          data: { kind, length: value.length },
        });
        return;
      }
      // test fixtures hold fake passwords by design; real key material above is still reported
      if (inTests) return;
      const name = targetName(path);
      if (!name || !isSecretName(name)) return;
      // `secret: loadSecret() || 'secret'`: whatever the default says, it signs or opens things when the setting is missing
      const fallback = isFallback(path) && value.length > 0 && !/\s/.test(value) && !TEMPLATE_PLACEHOLDER.test(value);
      if (!fallback && (!looksLikeSecretValue(value) || namesItself(name, value))) return;
      ctx.report({
        ruleId: RULE,
        node: path.node,
        messageId: 'secretNamedValue',
        message: `${name} is set to a hard-coded ${KIND_LABEL.named} ${maskSecret(value)}`,
        data: { kind: 'named', name, length: value.length },
      });
    };
    return {
      StringLiteral(path: NodePath) {
        check(path, (path.node as Node & { value: string }).value);
      },
      TemplateLiteral(path: NodePath) {
        const node = path.node as Node & {
          expressions: Node[];
          quasis: Array<{ value: { cooked?: string | null; raw: string } }>;
        };
        if (node.expressions.length === 0) check(path, node.quasis.map((q) => q.value.cooked ?? q.value.raw).join(''));
      },
    };
  },
};

export default secrets;
