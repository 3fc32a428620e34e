import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/*
 * A local fake of a service's dependency (an HTTP API, or an AWS endpoint such as DynamoDB),
 * loopback only, for behavioural tests of fixed code: it answers with a programmable
 * behaviour per request, records every request, and can be slow, hang, reset connections or
 * answer 5xx. Closing it destroys open sockets, so no test waits on a hung request.
 */

/** How the fake answers one request. */
export type Behaviour =
  | { kind: 'json'; status?: number; body?: unknown; headers?: Record<string, string> }
  /** answer after a delay (the client's timeout should fire first) */
  | { kind: 'slow'; delayMs: number; then?: Behaviour }
  /** accept the request and never answer */
  | { kind: 'hang' }
  /** destroy the connection without an answer (ECONNRESET / "socket hang up" for the client) */
  | { kind: 'reset' };

export const ok = (body: unknown = {}, status = 200, headers: Record<string, string> = {}): Behaviour => ({
  kind: 'json',
  status,
  body,
  headers,
});
export const status = (code: number, headers: Record<string, string> = {}): Behaviour => ({
  kind: 'json',
  status: code,
  body: { message: `fake answered ${code}` },
  headers,
});
export const slow = (delayMs: number, then?: Behaviour): Behaviour => ({ kind: 'slow', delayMs, then });
export const hang: Behaviour = { kind: 'hang' };
export const reset: Behaviour = { kind: 'reset' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** ms since the fake started */
  at: number;
}

/** Chooses the behaviour of a request; `index` counts the requests so far (0-based). */
export type Responder = (req: RecordedRequest, index: number) => Behaviour;

export interface FakeDependency {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Replaces the responder (the default answers `200 {}`). */
  respond(responder: Responder | Behaviour): void;
  /** Requests seen, optionally of one method and under a path prefix. */
  count(method?: string, pathPrefix?: string): number;
  /** Forgets the recorded requests (the responder stays). */
  clear(): void;
  close(): Promise<void>;
}

async function answer(
  res: http.ServerResponse,
  socket: Socket,
  behaviour: Behaviour,
  sockets: Set<Socket>,
): Promise<void> {
  if (behaviour.kind === 'hang') return;
  if (behaviour.kind === 'reset') {
    socket.destroy();
    return;
  }
  if (behaviour.kind === 'slow') {
    await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs).unref());
    if (!sockets.has(socket) || socket.destroyed) return;
    return answer(res, socket, behaviour.then ?? ok(), sockets);
  }
  const body = JSON.stringify(behaviour.body ?? {});
  res.writeHead(behaviour.status ?? 200, { 'content-type': 'application/json', ...behaviour.headers });
  res.end(body);
}

/** Starts a fake dependency on 127.0.0.1 at a free port. */
export async function startFake(initial: Responder | Behaviour = ok()): Promise<FakeDependency> {
  const started = Date.now();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let responder: Responder = typeof initial === 'function' ? initial : () => initial;

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now() - started,
      };
      const index = requests.length;
      requests.push(recorded);
      void answer(res, req.socket, responder(recorded, index), sockets);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    respond(next) {
      responder = typeof next === 'function' ? next : () => next;
    },
    count(method, pathPrefix) {
      return requests.filter((r) => (!method || r.method === method) && (!pathPrefix || r.path.startsWith(pathPrefix)))
        .length;
    },
    clear() {
      requests.length = 0;
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port on 127.0.0.1 that nothing listens on (connections are refused). */
export async function refusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The DynamoDB operation of a request made by the AWS SDK (`X-Amz-Target: DynamoDB_20120810.GetItem` → `GetItem`). */
export function dynamoOperation(req: RecordedRequest): string | null {
  const target = req.headers['x-amz-target'];
  return typeof target === 'string' ? (target.split('.').pop() ?? null) : null;
}

/** Environment that points the AWS SDK (v3 and v2) at a fake endpoint with dummy credentials. */
export function awsEnvFor(fake: { url: string }): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: fake.url,
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE',
    AWS_SECRET_ACCESS_KEY: 'fake-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}
