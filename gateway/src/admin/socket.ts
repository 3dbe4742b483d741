// The running gateway's admin socket: how `gateway:admin` manages callers while the gateway holds the database
// (embedded PGlite is one process's). A Unix socket in the gateway's own data folder (owner-only), so only the
// account the gateway runs as can reach it; nothing of it is on the network.
import { type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ROLES } from '@regchain/common';
import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { Caller, CallerAdmin, CallerRegistry, NewCaller } from '../fabric/identities';

/** Where a gateway with data folder `dataDir` listens for its admin command. */
export const adminSocketPath = (dataDir: string): string => path.join(dataDir, 'admin.sock');

const NewCallerBody = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 128 }),
    mspId: Type.String({ minLength: 1, maxLength: 128 }),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
    entityId: Type.String({ minLength: 1, maxLength: 128 }),
    certificate: Type.String({ minLength: 1 }),
    privateKey: Type.Optional(Type.String({ minLength: 1 })),
    withApiKey: Type.Boolean(),
    enrollmentId: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
const Id = Type.Object({ id: Type.String({ minLength: 1 }) });

/** The admin socket's routes over a registry (listened on by `listenAdmin`, driven by `inject` in tests). */
export function adminApp(callers: CallerRegistry): FastifyInstance {
  const app = Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>();
  app.get('/callers', async () => callers.list());
  app.get('/callers/:id', { schema: { params: Id } }, async (request, reply) => (await callers.get(request.params.id)) ?? reply.code(404).send(null));
  app.post('/callers', { schema: { body: NewCallerBody } }, async (request) => callers.add(request.body));
  app.delete('/callers/:id', { schema: { params: Id } }, async (request, reply) => (await callers.revoke(request.params.id)) ?? reply.code(404).send(null));
  return app;
}

/** Listens on the data folder's socket, replacing one a stopped gateway left; readable by the owner only. */
export async function listenAdmin(callers: CallerRegistry, dataDir: string): Promise<FastifyInstance> {
  const file = adminSocketPath(dataDir);
  fs.rmSync(file, { force: true });
  const app = adminApp(callers);
  await app.listen({ path: file });
  fs.chmodSync(file, 0o600);
  return app;
}

/** A mistake the admin socket reports (a refused body): the message says what. */
export class AdminSocketError extends Error {}

function call<T>(file: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request({ socketPath: file, method, path: url, headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : undefined) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Callers managed through a running gateway's admin socket. */
export class AdminClient implements CallerAdmin {
  readonly #file: string;

  private constructor(file: string) {
    this.#file = file;
  }

  /** The client of the gateway running over `dataDir`; undefined when none answers (no socket, or one left by a stopped gateway). */
  static async connect(dataDir: string): Promise<AdminClient | undefined> {
    const file = adminSocketPath(dataDir);
    if (!fs.existsSync(file)) return undefined;
    try {
      await call(file, 'GET', '/callers/-');
      return new AdminClient(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED' || code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async #ok<T>(method: string, url: string, body?: unknown): Promise<T | undefined> {
    const res = await call<T & { message?: string }>(this.#file, method, url, body);
    if (res.status === 404) return undefined;
    if (res.status !== 200) throw new AdminSocketError(`the gateway refused: ${res.body?.message ?? res.status}`);
    return res.body;
  }

  async add(spec: NewCaller): Promise<{ caller: Caller; apiKey?: string }> {
    return (await this.#ok<{ caller: Caller; apiKey?: string }>('POST', '/callers', spec)) as { caller: Caller; apiKey?: string };
  }

  revoke(id: string): Promise<Caller | undefined> {
    return this.#ok<Caller>('DELETE', `/callers/${encodeURIComponent(id)}`);
  }

  get(id: string): Promise<Caller | undefined> {
    return this.#ok<Caller>('GET', `/callers/${encodeURIComponent(id)}`);
  }

  async list(): Promise<Caller[]> {
    return (await this.#ok<Caller[]>('GET', '/callers')) ?? [];
  }
}
