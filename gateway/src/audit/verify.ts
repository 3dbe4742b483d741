// Endorsement audit from the ledger alone: a transaction verified against trust anchors given from outside the bundle.
// Pure: needs no network, so a third party can re-run it offline (npm run audit:verify). The checks are in
// ./checks, in the order made here; the bundle, anchors and report in ./bundle.
import type { AuditReport, EvidenceBundle, TrustAnchors } from './bundle';
import {
  type Audit,
  check,
  checkBlock,
  checkConfigChain,
  checkDefinition,
  checkEndorsements,
  checkEnvelope,
  checkFormatAndAnchors,
  checkGenesis,
  checkPolicy,
  checkValidation,
} from './checks';

export * from './bundle';

/** Verifies a bundle against the anchors (see CHECKS). Never throws on bad input. */
export function verifyEvidence(bundle: EvidenceBundle, anchors: TrustAnchors): AuditReport {
  const a: Audit = {
    bundle,
    anchors,
    checks: [],
    report: {
      transactionId: bundle.transactionId,
      channel: '',
      blockNumber: '',
      validationCode: 'UNKNOWN',
      anchors: {
        ...(anchors.genesisHash ? { genesisHash: anchors.genesisHash } : {}),
        ...(anchors.roots ? { pinnedRoots: Object.keys(anchors.roots).sort() } : {}),
      },
      configSequence: -1,
      orderers: [],
      creator: undefined,
      endorsements: [],
      policy: { rule: '', satisfied: false, sequence: 0, definedIn: '' },
      attestations: [],
      chaincode: { name: '', version: '' },
      rwset: [],
    },
  };
  try {
    verifyInto(a);
  } catch (err) {
    check(a, 'bundle', false, `the bundle cannot be decoded: ${(err as Error).message}`);
  }
  const problems = a.checks.filter((c) => !c.ok).map((c) => c.detail);
  return { ...a.report, checks: a.checks, verified: problems.length === 0 && a.checks.length > 0, problems };
}

/** The checks in order; each stops the sequence where nothing after it could stand. */
function verifyInto(a: Audit): void {
  if (!checkFormatAndAnchors(a)) return;
  const genesis = checkGenesis(a);
  if (!genesis) return;
  const chain = checkConfigChain(a, genesis);
  if (!chain) return;
  const found = checkBlock(a, chain);
  if (!found) return;
  const envelope = checkEnvelope(a, found, genesis.channelId);
  const endorsers = checkEndorsements(a, found, envelope);
  const definition = checkDefinition(a, chain, found);
  if (!definition) return;
  checkPolicy(a, definition, endorsers, found.config);
  checkValidation(a, found, envelope);
}
