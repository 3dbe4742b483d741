// What every contract shares: a context with the caller, the ledger and the transaction's event batch.
import { Context, Contract } from 'fabric-contract-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { type DomainEvent, EVENT_NAME, type EventBatch } from '@regchain/common';
import type { Actor } from '../domain/filing';
import { type Caller, callerFrom } from '../identity';
import { toBytes } from '../json';
import { Ledger } from '../ledger';

export class RegchainContext extends Context {
  readonly events: DomainEvent[] = [];
  #ledger: Ledger | undefined;
  #caller: Caller | undefined;

  get ledger(): Ledger {
    this.#ledger ??= new Ledger(this);
    return this.#ledger;
  }

  get caller(): Caller {
    this.#caller ??= callerFrom(this.clientIdentity);
    return this.#caller;
  }

  get actor(): Actor {
    const c = this.caller;
    return { role: c.role, entityId: c.entityId, mspId: c.mspId };
  }

  emit(event: DomainEvent): void {
    this.events.push(event);
  }
}

/** Endorsement policy for keys only the regulator may change: rules, watchlists, filing decisions, alerts. */
export function regulatorOnlyPolicy(): Uint8Array {
  const policy = new KeyEndorsementPolicy();
  policy.addOrgs('PEER', 'RegulatorMSP');
  return policy.getPolicy();
}

export abstract class RegchainContract extends Contract {
  override createContext(): RegchainContext {
    return new RegchainContext();
  }

  /** Sets the transaction's single chaincode event when it did anything worth reporting. */
  override async afterTransaction(ctx: Context, _result: unknown): Promise<void> {
    const c = ctx as RegchainContext;
    await c.ledger.flush();
    const events = c.events;
    if (events.length === 0) return;
    const batch: EventBatch = { txId: ctx.stub.getTxID(), events };
    ctx.stub.setEvent(EVENT_NAME, toBytes(batch));
  }

  protected async protect(ctx: RegchainContext, key: string): Promise<void> {
    await protect(ctx, key);
  }
}

/** A key only the regulator's endorsement may change from now on (a key-level endorsement policy). */
export async function protect(ctx: RegchainContext, key: string): Promise<void> {
  await ctx.stub.setStateValidationParameter(key, regulatorOnlyPolicy());
}
