// The monitor's typology parameters: published by the regulator as a whole, numbered set; read by the regulator
// and auditors only.
import { Empty, TypologyParameters } from '@regchain/common';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import type { Actor } from '../domain/filing';
import { ChaincodeError } from '../errors';
import { requireRole } from '../identity';
import { canonical } from '../json';
import { typologiesKey } from '../state/rules';
import { parseInput } from '../validation';
import { protect, RegchainContext, RegchainContract } from './base';

/**
 * The regulator publishes the monitor's typology parameters: the whole set, numbered one above the last. The
 * monitor applies a new set from the block that carries it; pattern alerts name the version they were found
 * under. Only the regulator reads them: telling the watched how they are watched is tipping off.
 */
export async function publishTypologies(ctx: RegchainContext, input: string): Promise<string> {
  requireRole(ctx.caller, ['regulator'], 'publish typology parameters');
  const parameters = parseInput(TypologyParameters, input, 'typology parameters');
  if (parameters.cycle.minLength > parameters.cycle.maxLength) {
    throw new ChaincodeError('VALIDATION_FAILED', 'typology parameters: cycle.minLength is above cycle.maxLength', { field: '/cycle/minLength' });
  }
  const l = ctx.ledger;
  const before = await l.get<{ version: number }>(typologiesKey());
  const record: { version: number; parameters: typeof parameters; publishedAt: string; publishedBy: Actor; lastTxId: string } = {
    version: (before?.version ?? 0) + 1,
    parameters,
    publishedAt: l.txTime(),
    publishedBy: ctx.actor,
    lastTxId: l.txId(),
  };
  await l.put(typologiesKey(), record);
  if (!before) await protect(ctx, typologiesKey());
  ctx.emit({ type: 'TypologiesPublished', version: record.version });
  return canonical(record);
}

export async function typologies(ctx: RegchainContext, input: string): Promise<string> {
  requireRole(ctx.caller, ['regulator', 'auditor'], 'read typology parameters');
  parseInput(Empty, input, 'typology parameters query');
  const record = await ctx.ledger.get(typologiesKey());
  if (!record) throw new ChaincodeError('TYPOLOGIES_NOT_FOUND', 'no typology parameters were published; the monitor runs on its defaults');
  return canonical(record);
}

@Info({ title: 'typology', description: "The monitor's typology parameters, published as numbered sets" })
export class TypologyContract extends RegchainContract {
  constructor() {
    super('typology');
  }

  @Transaction()
  @Returns('string')
  async publish(ctx: RegchainContext, input: string): Promise<string> {
    return publishTypologies(ctx, input);
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: RegchainContext, input: string): Promise<string> {
    return typologies(ctx, input);
  }
}
