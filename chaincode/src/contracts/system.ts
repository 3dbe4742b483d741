// Network probes: proves the chaincode answers and that a write commits, without touching domain data.
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { ChaincodeError } from '../errors';
import { requireRole } from '../identity';
import { canonical } from '../json';
import { key } from '../ledger';
import { RegchainContext, RegchainContract } from './base';

const PROBE_ID = /^[A-Za-z0-9._-]{1,64}$/;
const probeKey = (id: string): string => key('probe', id);

export interface ProbeRecord {
  readonly probeId: string;
  readonly txId: string;
  readonly mspId: string;
  readonly recordedAt: string;
}

@Info({ title: 'system', description: 'Liveness and write probes for operators' })
export class SystemContract extends RegchainContract {
  constructor() {
    super('system');
  }

  @Transaction(false)
  @Returns('string')
  async ping(ctx: RegchainContext): Promise<string> {
    return JSON.stringify({ channel: ctx.stub.getChannelID(), chaincode: 'regchain', mspId: ctx.clientIdentity.getMSPID() });
  }

  @Transaction()
  @Returns('string')
  async recordProbe(ctx: RegchainContext, probeId: string): Promise<string> {
    // The regulator operates the platform: a probe is a write, and writes by anyone else would let any
    // member put events on the regulator's monitoring stream.
    requireRole(ctx.caller, ['regulator'], 'record probes');
    if (!PROBE_ID.test(probeId))
      throw new ChaincodeError('VALIDATION_FAILED', 'probeId must be 1-64 letters, digits, dot, dash or underscore', { field: '/probeId' });
    const l = ctx.ledger;
    if (await l.exists(probeKey(probeId))) throw new ChaincodeError('PROBE_EXISTS', `probe ${probeId} was already recorded`);
    const record: ProbeRecord = { mspId: ctx.caller.mspId, probeId, recordedAt: l.txTime(), txId: l.txId() };
    await l.put(probeKey(probeId), record);
    ctx.emit({ type: 'ProbeRecorded', probeId, txId: record.txId });
    return canonical(record);
  }

  @Transaction(false)
  @Returns('string')
  async readProbe(ctx: RegchainContext, probeId: string): Promise<string> {
    return canonical(await ctx.ledger.mustGet<ProbeRecord>(probeKey(probeId), 'PROBE_NOT_FOUND', `probe ${probeId}`));
  }
}
