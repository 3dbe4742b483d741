// Network probes: proves the chaincode answers and that a write commits, without touching domain data.
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { requireRole } from '../identity';
import { RegchainContext, RegchainContract } from './base';

const PROBE_ID = /^[A-Za-z0-9._-]{1,64}$/;

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
    if (!PROBE_ID.test(probeId)) throw new Error('VALIDATION_FAILED: probeId must be 1-64 letters, digits, dot, dash or underscore');
    const key = ctx.stub.createCompositeKey('probe', [probeId]);
    const existing = await ctx.stub.getState(key);
    if (existing.length > 0) throw new Error(`PROBE_EXISTS: probe ${probeId} was already recorded`);
    const seconds = ctx.stub.getTxTimestamp().seconds;
    const record: ProbeRecord = {
      mspId: ctx.clientIdentity.getMSPID(),
      probeId,
      recordedAt: new Date(Number(seconds) * 1000).toISOString(),
      txId: ctx.stub.getTxID(),
    };
    const json = JSON.stringify(record);
    await ctx.stub.putState(key, Buffer.from(json));
    ctx.emit({ type: 'ProbeRecorded', probeId, txId: record.txId });
    return json;
  }

  @Transaction(false)
  @Returns('string')
  async readProbe(ctx: RegchainContext, probeId: string): Promise<string> {
    const data = await ctx.stub.getState(ctx.stub.createCompositeKey('probe', [probeId]));
    if (data.length === 0) throw new Error(`PROBE_NOT_FOUND: no probe ${probeId}`);
    return Buffer.from(data).toString('utf8');
  }
}
