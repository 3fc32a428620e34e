import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { formatZodError } from '../../src/config/zod-errors';

/*
 * The client table (config/clients.yaml): which modules, constructors and factories make a client
 * of a dependency, which options give it a timeout, and whether its calls retry by themselves.
 * The dependency detectors and the add-timeout fix read it, so that a new client is a row.
 */

const CATEGORIES = ['internal-api', 'external-api', 'database', 'event-bus', 'auth-provider', 'ml-ai'] as const;

function isRegExp(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}

const optionsSlot = z.union([z.number().int().min(0).max(4), z.literal('last')]);

const makeSchema = z
  .object({
    new: z.string().min(1).optional(),
    call: z.string().min(1).optional(),
    options: optionsSlot.default(0),
    except: z.array(z.string().min(1).refine(isRegExp, 'must be a regular expression')).default([]),
  })
  .strict()
  .refine((m) => (m.new === undefined) !== (m.call === undefined), 'give exactly one of `new` and `call`');

const optionPath = z
  .string()
  .regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, 'must be an option path like httpOptions.timeout');

const clientSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    name: z.string().min(1),
    modules: z.array(z.string().min(1)).min(1),
    make: z.array(makeSchema).default([]),
    requests: z
      .object({
        /** the module itself is called: `request(options, cb)`, `needle('get', url)` */
        direct: z.boolean().default(false),
        /** request methods of the module: `request.get(url)`, `superagent.post(url)` */
        methods: z.array(z.string().min(1)).default([]),
        /** a chained call that sets the timeout (`superagent.get(url).timeout(5000)`) */
        chainedTimeout: z.string().min(1).optional(),
        /** a chained call that retries (`superagent.get(url).retry(2)`) */
        chainedRetry: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    dependency: z.union([
      z.literal('aws'),
      z.object({ name: z.string().min(1), category: z.enum(CATEGORIES) }).strict(),
    ]),
    timeout: z
      .object({
        keys: z.array(optionPath).min(1),
        urlKeys: z.array(z.string().min(1)).default([]),
        global: optionPath.optional(),
        default: z.string().min(1),
      })
      .strict(),
    calls: z.enum(['none', 'members']).default('none'),
    retries: z.string().min(1).optional(),
    breaker: z.boolean().default(true),
    presignOnly: z.array(z.string().min(1)).default([]),
    fix: z
      .object({
        aws: z.boolean().default(false),
        set: z.record(optionPath, z.enum(['request', 'connection', 'database'])),
      })
      .strict()
      .optional(),
    notFixable: z.string().min(1).optional(),
  })
  .strict()
  .refine((c) => !!c.fix !== !!c.notFixable, 'give either `fix` or `notFixable`')
  .refine((c) => c.make.length > 0 || !!c.requests, 'give `make` (a client object) or `requests` (a request function)');

const tableSchema = z
  .object({
    version: z.literal(1),
    passThrough: z.array(z.string().min(1)).default([]),
    clients: z.array(clientSchema).min(1),
  })
  .strict();

export type ClientTable = z.output<typeof tableSchema>;

export type ClientSpec = z.output<typeof clientSchema>;
export type ClientMake = z.output<typeof makeSchema>;

/** Parses and checks the table; errors name the key. Ids and modules are unique. */
export function parseClientTable(text: string, file: string): ClientTable {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0]!.message}`);
  const parsed = tableSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new Error(formatZodError(file, parsed.error));
  const ids = new Set<string>();
  const modules = new Set<string>();
  parsed.data.clients.forEach((c, i) => {
    if (ids.has(c.id)) throw new Error(`${file}: clients.${i}.id: duplicate client "${c.id}"`);
    ids.add(c.id);
    for (const mod of c.modules) {
      if (modules.has(mod)) throw new Error(`${file}: clients.${i}.modules: "${mod}" belongs to two clients`);
      modules.add(mod);
    }
  });
  return parsed.data;
}

function tableFile(): string {
  // detectors/lib -> ../../config ; dist/detectors/lib -> ../../../config; a build elsewhere: the nearest above
  const looked: string[] = [];
  for (let dir = path.resolve(__dirname, '../..'), i = 0; i < 6; dir = path.dirname(dir), i++) {
    const candidate = path.join(dir, 'config', 'clients.yaml');
    if (fs.existsSync(candidate)) return candidate;
    looked.push(candidate);
  }
  throw new Error(`client table not found (looked in ${looked.join(', ')})`);
}

let cached: ClientTable | null = null;

function loadTable(): ClientTable {
  if (cached) return cached;
  const file = tableFile();
  cached = parseClientTable(fs.readFileSync(file, 'utf8'), file);
  return cached;
}

export function clientTable(): ClientSpec[] {
  return loadTable().clients;
}

/** Whether a call of this name returns its first argument, instrumented (X-Ray capture). */
export function isPassThrough(name: string): boolean {
  return loadTable().passThrough.includes(name);
}

/** The table row of a module as imported ("aws-sdk", "aws-sdk/clients/sqs"), and whether it is a sub-path module. */
export function clientOfModule(source: string): { spec: ClientSpec; subPath: boolean } | null {
  for (const spec of clientTable()) {
    for (const mod of spec.modules) {
      if (mod === source) return { spec, subPath: false };
      if (mod.endsWith('/*') && source.startsWith(mod.slice(0, -1))) return { spec, subPath: true };
    }
  }
  return null;
}

export function clientById(id: string): ClientSpec | undefined {
  return clientTable().find((c) => c.id === id);
}

/** Text every file using a table client contains: its module names, sub-path patterns cut at the star. */
export function clientTriggers(): string[] {
  return [...new Set(clientTable().flatMap((c) => c.modules.map((m) => m.replace(/\/\*$/, ''))))];
}

/** Whether the names after the module (`[]` for the module itself) are what a make entry makes. */
function makes(make: ClientMake, names: readonly string[], subPath: boolean): boolean {
  const wanted = make.new ?? make.call!;
  if (wanted === 'default') return names.length === 0 || (names.length === 1 && names[0] === 'default');
  if (wanted !== '*') return names.length === 1 && names[0] === wanted;
  // any class of the module: `new AWS.S3()`, `new AWS.DynamoDB.DocumentClient()`, a sub-path module's own class
  const classes = subPath ? names.length <= 1 : names.length >= 1 && names.length <= 2;
  return (
    classes &&
    names.every((n) => /^[A-Z]/.test(n)) &&
    !names.some((n) => make.except.some((e) => new RegExp(e).test(n)))
  );
}

/**
 * The make entry of a row that a `new` (isNew) or a call matches, given the names after the
 * module binding: `new AWS.S3()` -> ['S3'], `require('stripe')(key)` -> [], `createClient()` of a
 * named import -> ['createClient'].
 */
export function tableMake(
  spec: ClientSpec,
  isNew: boolean,
  names: readonly string[],
  subPath: boolean,
): ClientMake | null {
  return spec.make.find((mk) => (mk.new !== undefined) === isNew && makes(mk, names, subPath)) ?? null;
}
