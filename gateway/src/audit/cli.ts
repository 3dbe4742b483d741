// Offline re-verification of an evidence bundle: `npm run audit:verify -- bundle.json`. Exits 1 when it does not verify.
import * as fs from 'node:fs';
import { type EvidenceBundle, verifyEvidence } from './verify';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: audit:verify <evidence.json>\n');
  process.exit(2);
}
const report = verifyEvidence(JSON.parse(fs.readFileSync(file, 'utf8')) as EvidenceBundle);
process.stdout.write(`${JSON.stringify({ ...report, rwset: undefined }, null, 2)}\n`);
process.stdout.write(report.verified ? 'VERIFIED\n' : `NOT VERIFIED: ${report.problems.join('; ')}\n`);
process.exitCode = report.verified ? 0 : 1;
