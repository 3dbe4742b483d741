// Audit routes: verify a transaction's endorsements from the caller's own peer, or download the evidence to re-verify offline.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorResponses } from '../../../schemas/responses';
import { anchorsFromFile, collectEvidence } from '../../../audit/evidence';
import { type EvidenceBundle, type TrustAnchors, verifyEvidence } from '../../../audit/verify';
import { callerOf } from '../../../plugins/app/authentication';
import { ApiError, fromFabric } from '../../../errors';
import type { Caller } from '../../../fabric/identities';

const Signer = Type.Object({
  mspId: Type.String(),
  subject: Type.String(),
  signatureValid: Type.Boolean(),
  lowS: Type.Boolean(),
  chainsToOrgRoot: Type.Boolean(),
  validAtTime: Type.Boolean(),
});
const Report = Type.Object(
  {
    transactionId: Type.String(),
    channel: Type.String(),
    blockNumber: Type.String(),
    validationCode: Type.String(),
    creator: Type.Optional(Signer),
    endorsements: Type.Array(Signer),
    policy: Type.Object({ rule: Type.String(), satisfied: Type.Boolean(), sequence: Type.Integer(), definedIn: Type.String() }),
    checks: Type.Array(Type.Object({ check: Type.String(), ok: Type.Boolean(), detail: Type.String() }), { description: 'every check, in order' }),
    verified: Type.Boolean({ description: 'every check passed and the transaction is VALID' }),
    problems: Type.Array(Type.String()),
  },
  { description: 'The verification report' },
);
const Bundle = Type.Object(
  {
    format: Type.String(),
    channel: Type.String(),
    chaincode: Type.String(),
    transactionId: Type.String(),
    block: Type.String({ description: 'base64' }),
    configBlocks: Type.Array(Type.String(), { description: 'base64, from the genesis block on' }),
    definitionBlocks: Type.Array(Type.String()),
    attestations: Type.Array(Type.String()),
  },
  { description: 'Evidence to re-verify offline (`npm run audit:verify`)' },
);
/** The largest bundle the verification route reads: a long config chain of base64 blocks. */
const BUNDLE_LIMIT = 16 * 1024 * 1024;
const Verification = Type.Composite(
  [
    Report,
    Type.Object({
      trustAnchors: Type.Object(
        {
          source: Type.String({ description: "the anchor file's name (the channel's genesis block, or a pinned JSON file)" }),
          genesisHash: Type.Optional(Type.String()),
          roots: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
          ordererOrgs: Type.Optional(Type.Array(Type.String())),
          attestingOrgs: Type.Optional(Type.Array(Type.String())),
        },
        { description: 'what the checks trusted, from outside the bundle' },
      ),
    }),
  ],
  { description: 'The verification report and the trust anchors it used' },
);
const Params = Type.Object({ transactionId: Type.String({ pattern: '^[0-9a-f]{64}$' }) }, { additionalProperties: false });

const auditRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  let anchors: TrustAnchors | undefined;
  const trusted = (): TrustAnchors => {
    try {
      anchors ??= anchorsFromFile(fastify.config.trustAnchors);
    } catch (err) {
      throw new ApiError(
        503,
        'TRUST_ANCHORS_MISSING',
        `the gateway has no trust anchors to audit against (${(err as Error).message}); set REGCHAIN_TRUST_ANCHORS`,
        { cause: err },
      );
    }
    return anchors;
  };
  const evidence = async (caller: Caller, txId: string) => {
    // Members who sign offline have no key here: the gateway's public identity asks the peers for attestations.
    const signer = fastify.callers.signer(caller) ? caller : await fastify.callers.get(fastify.config.publicCaller);
    try {
      return await collectEvidence(
        (fn, ...args) => fastify.ledger.querySystem(caller, 'qscc', fn, args),
        txId,
        () => (signer ? fastify.ledger.attestations(signer, txId) : Promise.resolve([])),
        {
          channel: fastify.config.channel,
          chaincode: fastify.config.chaincode,
        },
      );
    } catch (err) {
      throw fromFabric(err, txId);
    }
  };

  fastify.get(
    '/v1/audit/transactions/:transactionId',
    {
      config: { roles: ['regulator', 'auditor'] },
      schema: {
        tags: ['audit'],
        summary:
          "Verify a committed transaction against the gateway's trust anchors: orderer signatures, config chain, creator, endorsements, policy in force, attested validation code",
        params: Params,
        response: { ...errorResponses, 200: Report },
      },
    },
    async (request) => verifyEvidence(await evidence(callerOf(request), request.params.transactionId), trusted()),
  );

  fastify.get(
    '/v1/audit/transactions/:transactionId/evidence',
    {
      config: { roles: ['regulator', 'auditor'] },
      schema: {
        tags: ['audit'],
        summary:
          'Evidence bundle (block, config blocks from genesis, chaincode definition block, peer attestations) that a third party re-verifies offline against its own anchors',
        params: Params,
        response: { ...errorResponses, 200: Bundle },
      },
    },
    async (request, reply) => {
      const { transactionId } = request.params;
      const bundle = await evidence(callerOf(request), transactionId);
      return reply.header('content-disposition', `attachment; filename="regchain-evidence-${transactionId.slice(0, 16)}.json"`).send(bundle);
    },
  );

  fastify.post(
    '/v1/audit/verifications',
    {
      config: { roles: ['regulator', 'auditor'] },
      bodyLimit: BUNDLE_LIMIT,
      schema: {
        tags: ['audit'],
        summary:
          "Verify an evidence bundle someone holds (the console's drop zone) with the same checks as `npm run audit:verify`, against the gateway's trust anchors, which the answer names",
        body: Bundle,
        response: { ...errorResponses, 200: Verification },
      },
    },
    async (request) => {
      const anchors = trusted();
      let report: ReturnType<typeof verifyEvidence>;
      try {
        report = verifyEvidence(request.body as EvidenceBundle, anchors);
      } catch (err) {
        throw new ApiError(422, 'BUNDLE_UNREADABLE', `the bundle cannot be read as evidence: ${(err as Error).message}`, { cause: err });
      }
      return { ...report, trustAnchors: { source: fastify.config.trustAnchors.split('/').pop() ?? '', ...anchors } };
    },
  );
};

export default auditRoutes;
