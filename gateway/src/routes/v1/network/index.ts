// The network as supervisors see it: blocks and their transactions (endorsers, validation codes), the committed
// chaincode definition and its policy, and the health of every peer and orderer. Fabric 3 still answers qscc
// and _lifecycle queries, which is all a block browser needs.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { common, peer } from '@hyperledger/fabric-protos';
import { Type } from '@sinclair/typebox';
import * as fs from 'node:fs';
import { type BlockSummary, describeBlock, describeDefinition } from '../../../audit/explorer';
import { describePolicy } from '../../../audit/channelconfig';
import { ApiError } from '../../../errors';
import { callerOf } from '../../../plugins/app/authentication';
import { strict } from '../../../schemas/query';
import { errorResponses } from '../../../schemas/responses';

const ROLES = ['regulator', 'auditor'] as const;

const Identity = Type.Object({ mspId: Type.String(), subject: Type.String() });
const Transaction = Type.Object({
  index: Type.Integer(),
  transactionId: Type.String(),
  type: Type.String({ description: 'ENDORSER_TRANSACTION, CONFIG, ...' }),
  time: Type.String({ format: 'date-time' }),
  validationCode: Type.String({ description: 'VALID, MVCC_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE, ...' }),
  creator: Type.Optional(Identity),
  chaincode: Type.Optional(Type.String()),
  endorsers: Type.Array(Identity),
});
const Block = Type.Object({
  number: Type.String(),
  hash: Type.String(),
  previousHash: Type.String(),
  dataHash: Type.String(),
  transactions: Type.Array(Transaction),
});
const BlockPage = Type.Object(
  {
    height: Type.String({ description: 'blocks on the channel' }),
    blocks: Type.Array(Block, { description: 'newest first' }),
    next: Type.Optional(Type.String({ description: 'pass as ?before= for the page of older blocks' })),
  },
  { description: 'A page of blocks, newest first' },
);
const Definition = Type.Object({
  name: Type.String(),
  sequence: Type.Integer(),
  version: Type.String(),
  endorsementPlugin: Type.String(),
  validationPlugin: Type.String(),
  endorsementPolicy: Type.String(),
  initRequired: Type.Boolean(),
  collections: Type.Array(Type.String()),
  approvals: Type.Record(Type.String(), Type.Boolean()),
});
const Node = Type.Object({
  name: Type.String(),
  kind: Type.String({ description: 'peer, orderer or ca' }),
  mspId: Type.Optional(Type.String()),
  status: Type.Union([Type.Literal('ok'), Type.Literal('failing'), Type.Literal('unreachable')]),
  detail: Type.String(),
});
const Nodes = Type.Object(
  { nodes: Type.Array(Node), configured: Type.Boolean({ description: 'whether the gateway was given the nodes file' }) },
  { description: "Each node's operations health check (/healthz)" },
);

/** The nodes file (`profiles/nodes.json`, written by the network tooling): what to health-check. */
interface NodeEntry {
  readonly name: string;
  readonly kind: string;
  readonly mspId?: string;
  readonly healthUrl: string;
}

function readNodes(file: string): NodeEntry[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  return parsed.filter(
    (n): n is NodeEntry =>
      typeof (n as NodeEntry).name === 'string' && typeof (n as NodeEntry).kind === 'string' && /^https?:\/\//.test(String((n as NodeEntry).healthUrl)),
  );
}

async function health(node: NodeEntry): Promise<{ status: 'ok' | 'failing' | 'unreachable'; detail: string }> {
  try {
    const res = await fetch(node.healthUrl, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json().catch(() => ({}))) as { status?: string; failed_checks?: { component: string; reason: string }[] };
    if (res.ok) return { status: 'ok', detail: body.status ?? 'OK' };
    const failed = (body.failed_checks ?? []).map((c) => `${c.component}: ${c.reason}`).join('; ');
    return { status: 'failing', detail: failed || `HTTP ${res.status}` };
  } catch (err) {
    return { status: 'unreachable', detail: (err as Error).name === 'TimeoutError' ? 'no answer within 2 s' : 'connection refused' };
  }
}

const PAGE = 10;

const networkRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { channel, chaincode } = fastify.config;
  /** The channel's blocks as the caller's peer serves them (qscc); Fabric's refusals become the API's errors. */
  const chainOf = (request: Parameters<typeof callerOf>[0]) => {
    const caller = callerOf(request);
    const ask = (fn: string, ...args: string[]): Promise<Uint8Array> => fastify.ledger.querySystem(caller, 'qscc', fn, [channel, ...args]);
    return {
      height: async (): Promise<number> => common.BlockchainInfo.deserializeBinary(await ask('GetChainInfo')).getHeight(),
      block: async (n: number): Promise<BlockSummary> => describeBlock(common.Block.deserializeBinary(await ask('GetBlockByNumber', String(n)))),
    };
  };

  fastify.get(
    '/v1/network/blocks',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['network'],
        summary: 'Blocks of the channel, newest first, with each transaction’s creator, endorsers and validation code',
        querystring: Type.Object(
          {
            before: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$', description: 'list blocks below this number' })),
            limit: Type.Optional(Type.String({ pattern: '^([1-9]|1[0-9]|20)$', description: '1 to 20 (default 10)' })),
          },
          strict,
        ),
        response: { ...errorResponses, 200: BlockPage },
      },
    },
    async (request) => {
      const chain = chainOf(request);
      const height = await chain.height();
      const top = Math.min(height, request.query.before === undefined ? height : Number(request.query.before));
      const limit = Number(request.query.limit ?? PAGE);
      const numbers = Array.from({ length: Math.min(limit, top) }, (_, i) => top - 1 - i);
      const blocks = await Promise.all(numbers.map((n) => chain.block(n)));
      const last = numbers.at(-1);
      return { height: String(height), blocks, ...(last !== undefined && last > 0 ? { next: String(last) } : {}) };
    },
  );

  fastify.get(
    '/v1/network/blocks/:blockNumber',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['network'],
        summary: 'One block',
        params: Type.Object({ blockNumber: Type.String({ pattern: '^[0-9]{1,19}$' }) }, strict),
        response: { ...errorResponses, 200: Block },
      },
    },
    async (request) => {
      const chain = chainOf(request);
      const height = await chain.height();
      const n = Number(request.params.blockNumber);
      if (n >= height) throw new ApiError(404, 'BLOCK_NOT_FOUND', `the channel has ${height} blocks; there is no block ${request.params.blockNumber}`);
      return chain.block(n);
    },
  );

  fastify.get(
    '/v1/network/chaincode',
    {
      config: { roles: ROLES },
      schema: {
        tags: ['network'],
        summary: 'The committed chaincode definition: sequence, version, endorsement policy, approvals',
        response: { ...errorResponses, 200: Definition },
      },
    },
    async (request) => {
      const args = new peer.lifecycle.QueryChaincodeDefinitionArgs();
      args.setName(chaincode);
      const result = await fastify.ledger.querySystem(callerOf(request), '_lifecycle', 'QueryChaincodeDefinition', [args.serializeBinary()]);
      return describeDefinition(chaincode, result, describePolicy);
    },
  );

  fastify.get(
    '/v1/network/nodes',
    {
      config: { roles: ROLES },
      schema: { tags: ['network'], summary: 'Health of every peer, orderer and CA (their operations /healthz)', response: { ...errorResponses, 200: Nodes } },
    },
    async () => {
      const nodes = readNodes(fastify.config.nodes);
      if (!nodes) return { nodes: [], configured: false };
      const states = await Promise.all(nodes.map(health));
      return {
        configured: true,
        nodes: nodes.map((n, i) => ({
          name: n.name,
          kind: n.kind,
          ...(n.mspId ? { mspId: n.mspId } : {}),
          ...(states[i] as Awaited<ReturnType<typeof health>>),
        })),
      };
    },
  );
};

export default networkRoutes;
