// Fund-flow traces: a bounded, time-respecting breadth-first walk over transfer edges, cycles included.

export interface Edge {
  readonly transferId: string;
  readonly from: string;
  readonly to: string;
  readonly amount: number;
  readonly purpose: string;
  readonly projectId: string;
  /** Transaction time, seconds since the epoch. */
  readonly time: number;
}

export type Direction = 'forward' | 'backward';

export interface TraceLimits {
  readonly depth: number;
  readonly fromTime: number;
  readonly toTime: number;
  readonly maxNodes: number;
  readonly maxEdges: number;
}

/** Reads the edges leaving (forward) or entering (backward) an account within a time window. */
export type EdgeSource = (account: string, direction: Direction, fromTime: number, toTime: number) => Promise<Edge[]>;

export interface TracedEdge extends Edge {
  /** 1 for edges touching the start account, 2 for the next ring, ... */
  readonly hop: number;
}

export interface TraceResult {
  readonly start: string;
  readonly direction: Direction;
  readonly nodes: { readonly account: string; readonly hop: number }[];
  readonly edges: TracedEdge[];
  /** True when maxNodes or maxEdges stopped the walk before it reached the requested depth. */
  readonly truncated: boolean;
  /** Account expansions made, each one range read of the ledger. */
  readonly reads: number;
}

const byTimeThenId = (a: Edge, b: Edge): number => a.time - b.time || (a.transferId < b.transferId ? -1 : a.transferId > b.transferId ? 1 : 0);

/**
 * Walks from an account. Money cannot leave an account before it arrived: going forward, an account
 * is followed only through transfers at or after the earliest time money reached it (backward, at or
 * before the latest time it left). Each account is expanded once, so cycles end the walk.
 */
export async function walk(start: string, direction: Direction, limits: TraceLimits, source: EdgeSource, startTime?: number): Promise<TraceResult> {
  const hopOf = new Map<string, number>([[start, 0]]);
  const boundary = new Map<string, number>([[start, startTime ?? (direction === 'forward' ? limits.fromTime : limits.toTime)]]);
  const edges: TracedEdge[] = [];
  const seen = new Set<string>();
  let frontier = [start];
  let truncated = false;
  let reads = 0;

  for (let hop = 1; hop <= limits.depth && frontier.length > 0 && !truncated; hop += 1) {
    const next: string[] = [];
    for (const account of frontier) {
      const edge = boundary.get(account) ?? limits.fromTime;
      const [from, to] = direction === 'forward' ? [Math.max(edge, limits.fromTime), limits.toTime] : [limits.fromTime, Math.min(edge, limits.toTime)];
      reads += 1;
      const found = (await source(account, direction, from, to)).sort(byTimeThenId);
      for (const e of found) {
        if (seen.has(e.transferId)) continue;
        if (edges.length >= limits.maxEdges) {
          truncated = true;
          break;
        }
        seen.add(e.transferId);
        edges.push({ ...e, hop });
        const other = direction === 'forward' ? e.to : e.from;
        if (hopOf.has(other)) {
          // Found again before it is expanded: forward, money reached it at the earliest edge; backward, it left at the latest.
          const b = boundary.get(other) as number;
          if (hopOf.get(other) === hop) boundary.set(other, direction === 'forward' ? Math.min(b, e.time) : Math.max(b, e.time));
          continue;
        }
        if (hopOf.size >= limits.maxNodes) {
          truncated = true;
          continue;
        }
        hopOf.set(other, hop);
        boundary.set(other, e.time);
        next.push(other);
      }
      if (truncated) break;
    }
    frontier = next;
  }
  return {
    start,
    direction,
    nodes: [...hopOf.entries()].map(([account, hop]) => ({ account, hop })),
    edges,
    truncated,
    reads,
  };
}

/** One page of a trace's edges (the bookmark is the next offset, '' on the last page), with totals over them all. */
export function pageOf(result: TraceResult, offset: number, size: number) {
  return {
    start: result.start,
    direction: result.direction,
    nodes: result.nodes,
    edges: result.edges.slice(offset, offset + size),
    totalEdges: result.edges.length,
    totalAmount: result.edges.reduce((s, e) => s + e.amount, 0),
    truncated: result.truncated,
    reads: result.reads,
    bookmark: offset + size < result.edges.length ? String(offset + size) : '',
  };
}

export interface PurposeSum {
  readonly purpose: string;
  readonly amount: number;
  readonly transfers: number;
}

/** Sums edges by purpose, largest first (ties by purpose name), for "where did the money go". */
export function sumByPurpose(edges: readonly Edge[]): PurposeSum[] {
  const sums = new Map<string, { amount: number; transfers: number }>();
  for (const e of edges) {
    const s = sums.get(e.purpose) ?? { amount: 0, transfers: 0 };
    sums.set(e.purpose, { amount: s.amount + e.amount, transfers: s.transfers + 1 });
  }
  return [...sums.entries()].map(([purpose, s]) => ({ purpose, ...s })).sort((a, b) => b.amount - a.amount || (a.purpose < b.purpose ? -1 : 1));
}
