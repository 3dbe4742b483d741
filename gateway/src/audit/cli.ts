// Offline re-verification of an evidence bundle against pinned trust anchors. Exits 1 when it does not verify.
//   npm run audit:verify -- bundle.json --genesis supervision.block      (or a JSON anchors file)
//   npm run audit:verify -- bundle.json --genesis-hash <hex>
//   npm run audit:verify -- --pin-roots supervision.block                 (prints root fingerprints to publish)
import { common } from '@hyperledger/fabric-protos';
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { anchorsFromFile, rootsOf } from './evidence';
import { type EvidenceBundle, type TrustAnchors, verifyEvidence } from './verify';

const USAGE =
  'usage: audit:verify <evidence.json> (--genesis <genesis.block|anchors.json> | --genesis-hash <hex>)\n       audit:verify --pin-roots <genesis.block>\n';

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { genesis: { type: 'string' }, 'genesis-hash': { type: 'string' }, 'pin-roots': { type: 'string' } },
  });
  if (values['pin-roots']) {
    process.stdout.write(`${JSON.stringify(rootsOf(common.Block.deserializeBinary(fs.readFileSync(values['pin-roots']))), null, 2)}\n`);
    return 0;
  }
  const file = positionals[0];
  let anchors: TrustAnchors | undefined;
  if (values.genesis) anchors = anchorsFromFile(values.genesis);
  else if (values['genesis-hash']) anchors = { genesisHash: values['genesis-hash'] };
  if (!file || !anchors) {
    process.stderr.write(USAGE);
    return 2;
  }
  const report = verifyEvidence(JSON.parse(fs.readFileSync(file, 'utf8')) as EvidenceBundle, anchors);
  for (const c of report.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check.padEnd(22)} ${c.detail}\n`);
  process.stdout.write(`policy ${report.policy.rule} (sequence ${report.policy.sequence}, defined in ${report.policy.definedIn})\n`);
  process.stdout.write(report.verified ? 'VERIFIED\n' : `NOT VERIFIED: ${report.problems.join('; ')}\n`);
  return report.verified ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (err) {
  process.stderr.write(`audit:verify: ${(err as Error).message}\n${USAGE}`);
  process.exitCode = 2;
}
