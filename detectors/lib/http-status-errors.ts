import type { Node } from '@babel/types';
import { calleeName, forEachDescendant, isCall } from './descendants';
import { unwrap } from './unwrap';

/*
 * HTTP statuses carried by errors rather than set on a response: typed HTTP errors
 * (`new ApiError(httpStatus.UNAUTHORIZED, …)`, `createError(404)`, `Boom.unauthorized()`,
 * `new UnauthorizedException()`), which a shared error handler later turns into the answer.
 */

/** Status constant names (http-status, http-status-codes, NestJS HttpStatus) by status. */
const STATUS_NAMES: Record<string, number> = {
  OK: 200,
  CREATED: 201,
  ACCEPTED: 202,
  NO_CONTENT: 204,
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  REQUEST_TIMEOUT: 408,
  CONFLICT: 409,
  GONE: 410,
  PRECONDITION_FAILED: 412,
  UNPROCESSABLE_ENTITY: 422,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
};
/** Error classes and factory names that carry their status in their name. */
const CLASS_STATUS: ReadonlyArray<[RegExp, number]> = [
  [/^BadRequest/i, 400],
  [/^Unauthori[sz]ed/i, 401],
  [/^Forbidden/i, 403],
  [/^NotFound/i, 404],
  [/^Conflict/i, 409],
  [/^PreconditionFailed/i, 412],
  [/^Unprocessable/i, 422],
  [/^InternalServer/i, 500],
  [/^ServiceUnavailable/i, 503],
];
/** Objects holding status constants: `httpStatus.UNAUTHORIZED`, `StatusCodes.NOT_FOUND`, `HttpStatus.FORBIDDEN`. */
const STATUS_HOLDER = /^(httpStatus|HttpStatus|StatusCodes?|status|statuses|HTTP_STATUS|HttpStatusCode)$/;

/** The status a literal or a status constant stands for. */
export function statusValue(node: Node | undefined): number | null {
  if (!node) return null;
  const n = unwrap(node, { await: true, void: true });
  if (n.type === 'NumericLiteral') return n.value >= 100 && n.value < 600 ? n.value : null;
  if (
    n.type === 'MemberExpression' &&
    !n.computed &&
    n.property.type === 'Identifier' &&
    n.object.type === 'Identifier' &&
    STATUS_HOLDER.test(n.object.name)
  ) {
    return STATUS_NAMES[n.property.name] ?? null;
  }
  return null;
}

function classStatus(name: string | null): number | null {
  if (!name) return null;
  const bare = name.replace(/(Error|Exception|HttpError)$/, '') || name;
  for (const [re, status] of CLASS_STATUS) if (re.test(bare)) return status;
  return null;
}

/**
 * The status of a typed HTTP error expression, or null: `new ApiError(401, …)`,
 * `new HttpException('x', HttpStatus.FORBIDDEN)`, `new NotFoundError()`, `createError(404)`,
 * `createError.Unauthorized()`, `Boom.unauthorized()`.
 */
export function typedErrorStatus(node: Node): { status: number; name: string } | null {
  const n = unwrap(node, { await: true, void: true });
  if (n.type !== 'NewExpression' && !isCall(n)) return null;
  const callee = unwrap(n.callee as Node, { await: true, void: true });
  const name = calleeName(callee);
  if (!name) return null;
  const byName = classStatus(name);
  if (byName !== null && (n.type === 'NewExpression' || /^[a-z]/.test(name) || callee.type === 'MemberExpression'))
    return { status: byName, name };
  const isErrorType =
    /(Error|Exception)$/.test(name) || /^(createError|createHttpError|httpErrors|HttpErrors)$/.test(name);
  if (!isErrorType) return null;
  for (const arg of n.arguments.slice(0, 2)) {
    const status = statusValue(arg as Node);
    if (status !== null) return { status, name };
  }
  return null;
}

/**
 * Base error classes of database clients: every failure of the client, a lost connection
 * included, is an instance of them (`mongoose.Error` is the base of MongooseServerSelectionError).
 */
const DATABASE_BASE_ERRORS =
  /^(mongoose\.Error|mongoose\.mongo\.MongoError|MongooseError|MongoError|MongoServerError|Sequelize\.BaseError|Sequelize\.Error|BaseError|Sequelize\.DatabaseError|DatabaseError|QueryFailedError|Prisma\.PrismaClientUnknownRequestError)$/;

export function isDatabaseBaseError(node: Node): boolean {
  const n = unwrap(node, { await: true, void: true });
  const text =
    n.type === 'Identifier'
      ? n.name
      : n.type === 'MemberExpression' && !n.computed && n.property.type === 'Identifier'
        ? `${unwrap(n.object, { await: true, void: true }).type === 'Identifier' ? (unwrap(n.object, { await: true, void: true }) as { name: string }).name : unwrap(n.object, { await: true, void: true }).type === 'MemberExpression' ? 'mongoose.mongo' : '?'}.${n.property.name}`
        : null;
  return text !== null && DATABASE_BASE_ERRORS.test(text);
}

export interface TypedErrorAnswer {
  /** the statement that throws or hands on the typed error: where the finding goes */
  node: Node;
  status: number;
  name: string;
  ancestors: Node[];
}

const HANDS_ON = /^(reject|next|done|callback|cb)$/;

/**
 * Typed HTTP errors a block throws, rejects or hands to `next` (nested functions excluded),
 * at their statement.
 */
export function typedErrorAnswers(body: Node): TypedErrorAnswer[] {
  const out: TypedErrorAnswer[] = [];
  forEachDescendant(
    body,
    (node, ancestors) => {
      if (node.type === 'ThrowStatement') {
        const typed = typedErrorStatus(node.argument);
        if (typed) out.push({ node, ...typed, ancestors: [...ancestors] });
        return false;
      }
      if (isCall(node) && HANDS_ON.test(calleeName(node.callee) ?? '') && node.arguments[0]) {
        const typed = typedErrorStatus(node.arguments[0] as Node);
        const parent = ancestors[ancestors.length - 1];
        const at =
          parent && (parent.type === 'ReturnStatement' || parent.type === 'ExpressionStatement') ? parent : node;
        if (typed) out.push({ node: at, ...typed, ancestors: [...ancestors] });
        return false;
      }
      return undefined;
    },
    { intoFunctions: false },
  );
  return out;
}
