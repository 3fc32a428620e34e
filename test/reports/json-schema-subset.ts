/**
 * A small JSON Schema (draft-07) checker for the keywords the SARIF subset schema uses: $ref to
 * #/definitions, type, enum, const, required, properties, additionalProperties, items, minItems,
 * uniqueItems, minimum, maximum, pattern, anyOf, and the uri / uri-reference formats.
 * Used when `ajv` is not installed; returns every error as "path: problem".
 */
export type Schema = { [key: string]: unknown };

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

function validFormat(value: string, format: string): boolean {
  if (format === 'uri') return /^[a-z][a-z0-9+.-]*:/i.test(value) && URL.canParse(value);
  if (format === 'uri-reference') return !/[\s<>"{}|\\^`]/.test(value);
  return true;
}

export function validate(root: Schema, value: unknown): string[] {
  return validateAgainst(root, root, value, '$');
}

function validateAgainst(root: Schema, start: Schema, value: unknown, path: string): string[] {
  const errors: string[] = [];
  const resolve = (ref: string): Schema => {
    const name = ref.replace(/^#\/definitions\//, '');
    const def = (root.definitions as Record<string, Schema> | undefined)?.[name];
    if (!def) throw new Error(`unresolved $ref ${ref}`);
    return def;
  };
  const check = (schema: Schema, v: unknown, at: string): void => {
    if (typeof schema.$ref === 'string') return check(resolve(schema.$ref), v, at);
    if (typeof schema.type === 'string' && !matchesType(v, schema.type)) {
      errors.push(`${at}: expected ${schema.type}, got ${typeOf(v)}`);
      return;
    }
    if (Array.isArray(schema.enum) && !schema.enum.includes(v))
      errors.push(`${at}: ${JSON.stringify(v)} not in ${JSON.stringify(schema.enum)}`);
    if ('const' in schema && schema.const !== v) errors.push(`${at}: must be ${JSON.stringify(schema.const)}`);
    if (typeof v === 'number') {
      if (typeof schema.minimum === 'number' && v < schema.minimum)
        errors.push(`${at}: ${v} < minimum ${schema.minimum}`);
      if (typeof schema.maximum === 'number' && v > schema.maximum)
        errors.push(`${at}: ${v} > maximum ${schema.maximum}`);
    }
    if (typeof v === 'string') {
      if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(v))
        errors.push(`${at}: does not match ${schema.pattern}`);
      if (typeof schema.format === 'string' && !validFormat(v, schema.format))
        errors.push(`${at}: not a valid ${schema.format}`);
    }
    if (Array.isArray(v)) {
      if (typeof schema.minItems === 'number' && v.length < schema.minItems)
        errors.push(`${at}: fewer than ${schema.minItems} items`);
      if (schema.uniqueItems === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length)
        errors.push(`${at}: items are not unique`);
      if (schema.items && typeof schema.items === 'object')
        v.forEach((item, i) => check(schema.items as Schema, item, `${at}[${i}]`));
    }
    if (typeOf(v) === 'object') {
      const obj = v as Record<string, unknown>;
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      for (const key of (schema.required ?? []) as string[])
        if (!(key in obj)) errors.push(`${at}: missing required "${key}"`);
      for (const [key, child] of Object.entries(obj)) {
        if (props[key]) check(props[key], child, `${at}.${key}`);
        else if (schema.additionalProperties === false) errors.push(`${at}: unexpected property "${key}"`);
        else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          check(schema.additionalProperties as Schema, child, `${at}.${key}`);
        }
      }
    }
    if (Array.isArray(schema.anyOf)) {
      const passes = (schema.anyOf as Schema[]).some((alt) => validateAgainst(root, alt, v, at).length === 0);
      if (!passes) errors.push(`${at}: matches none of anyOf`);
    }
  };
  check(start, value, path);
  return errors;
}
