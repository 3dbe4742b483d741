// History-wide questions answered from the index: traces and counterparties over every transfer the monitor has
// seen, fast and without the chaincode's query limits. The chaincode's trace stays the verifiable source; these
// answers say they come from the index, and up to which block.
import { type Direction, type Edge, type TraceResult, walk } from '@regchain/common';
import type { Store } from './store';

/** At most this many edges are read per account expanded; a trace says when it was cut. */
const EDGES_PER_ACCOUNT = 5000;

export interface TraceRequest {
  readonly start: string;
  readonly direction: Direction;
  readonly depth: number;
  readonly fromTime: number;
  readonly toTime: number;
  readonly maxNodes: number;
  readonly maxEdges: number;
  /** From a transfer: when it moved (the walk starts at its payee, or its payer backward, from that time). */
  readonly startTime?: number | undefined;
}

/** The same time-respecting walk as the chaincode's (`trace:flows`), over the index's edges. */
export async function traceFromIndex(store: Pick<Store, 'flows'>, req: TraceRequest): Promise<TraceResult> {
  return walk(
    req.start,
    req.direction,
    req,
    async (account, direction, from, to): Promise<Edge[]> => {
      const rows = await store.flows(direction === 'forward' ? 'out' : 'in', account, from, to, EDGES_PER_ACCOUNT);
      return rows.map((t) => ({ transferId: t.id, from: t.from, to: t.to, amount: t.amount, purpose: t.purpose, projectId: t.projectId, time: t.executedAt }));
    },
    req.startTime,
  );
}
