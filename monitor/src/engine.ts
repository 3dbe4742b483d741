// Runs every typology over a stream of transfers and keeps one alert per pattern instance: the same instance,
// seen again as more of its transfers arrive (same key, or evidence shared with an alert of its typology),
// extends its alert instead of raising another, until that alert is sealed (raised on the chain, or decided by
// the regulator). A sealed alert absorbs nothing new: a pattern with a transfer outside its evidence raises an
// alert of its own, so a dismissed alert never silences its accounts.
import { horizonOf, type Parameters } from './parameters';
import type { Condition, Hit, Transfer, Typology } from './transfer';
import { cycle } from './typologies/cycle';
import type { Detector } from './typologies/detector';
import { dormantActivation, rapidPassThrough, smurfing, structuring } from './typologies/amounts';
import { fanIn, fanOut } from './typologies/fan';
import { bipartite, gatherScatter, scatterGather, stackedLayering } from './typologies/layering';
import { slowCycle, slowFanIn, slowFanOut } from './typologies/oneoff';
import { FlowWindow } from './window';

export interface Alert {
  readonly key: string;
  readonly typology: Typology;
  readonly parametersVersion: number;
  score: number;
  /** What made it, per way it was found (the measures of the instance's latest hit of each kind). */
  conditions: Condition[];
  accounts: string[];
  transfers: Transfer[];
}

const FACTORIES = [
  fanOut,
  fanIn,
  cycle,
  slowFanOut,
  slowFanIn,
  slowCycle,
  scatterGather,
  gatherScatter,
  bipartite,
  stackedLayering,
  structuring,
  smurfing,
  rapidPassThrough,
  dormantActivation,
];

/** The least amount that counts as an account's activity: 1% of what a dormant account must move to be flagged. */
export const materialAmount = (p: Parameters): number => Math.max(1, Math.floor(p.dormantActivation.minTotal / 100));

/** Extends an alert with a hit of its instance: the hit's new transfers and accounts, the higher score; answers the transfers added. */
function absorb(alert: Alert, h: Hit): Transfer[] {
  const ids = new Set(alert.transfers.map((t) => t.id));
  const added = h.transfers.filter((t) => !ids.has(t.id));
  if (added.length > 0) alert.transfers = [...alert.transfers, ...added].sort((a, b) => a.executedAt - b.executedAt || (a.id < b.id ? -1 : 1));
  alert.accounts = [...new Set([...alert.accounts, ...h.accounts])].sort();
  alert.score = Math.max(alert.score, h.score);
  const names = new Set(h.conditions.map((c) => c.name));
  alert.conditions = [...alert.conditions.filter((c) => !names.has(c.name)), ...h.conditions];
  return added;
}

export class Engine {
  readonly #window: FlowWindow;
  /** Detectors that judge a transfer as it comes. */
  readonly #detectors: Detector[];
  /** Detectors that read past a transfer: they judge it once `#lookahead` of business time has passed. */
  readonly #later: Detector[];
  readonly #lookahead: number;
  /** Transfers waiting for their later judgement. */
  readonly #pending: Reorder;
  readonly #alerts = new Map<string, Alert>();
  /** Alerts by typology and each transfer of their evidence: a hit sharing evidence extends that alert. */
  readonly #byEvidence = new Map<string, Alert>();
  readonly #parameters: Parameters;
  readonly #horizon: number;
  /** How far the detectors that judge as transfers come look back: what a late transfer re-judges after it. */
  readonly #fastHorizon: number;
  /**
   * Accounts late transfers touched, with the business times they span: the slow patterns around them are
   * judged again by `settle`, once per batch, not once per late transfer.
   */
  readonly #dirty = new Map<string, { from: number; to: number }>();
  /** The slow judgements each transfer is evidence of: a ring found from a hop far from a late transfer is judged again too. */
  readonly #evidenceOf = new Map<string, Set<string>>();
  /** Alerts that take no new evidence: raised on the chain, or decided. */
  readonly #sealed = new Set<string>();
  /** Alerts the chain holds, found again while the window is replayed after a restart. */
  readonly #restored = new Set<string>();
  /** How many successors an instance's key has had. */
  readonly #generations = new Map<string, number>();
  /** Each transfer's hits as it was last judged (only those with any): what `alerts()` is made of. */
  readonly #judged = new Map<string, { readonly at: Transfer; readonly hits: Hit[] }>();
  #observed = 0;

  /**
   * `only`: these typologies' detectors; `pace`: only the detectors that judge a transfer as it comes (`now`) or
   * those that wait for their lookahead (`later`), as a fit that varies one kind's parameters runs them apart.
   */
  constructor(parameters: Parameters, only?: readonly Typology[], pace?: 'now' | 'later') {
    this.#parameters = parameters;
    this.#horizon = horizonOf(parameters, pace);
    this.#fastHorizon = horizonOf(parameters, 'now');
    const relationships = pace === 'now' ? 0 : this.#horizon + parameters.oneOff.memory;
    this.#window = new FlowWindow(this.#horizon, materialAmount(parameters), relationships);
    const detectors = FACTORIES.map((f) => f(parameters)).filter((d) => !only || only.includes(d.typology));
    this.#detectors = pace === 'later' ? [] : detectors.filter((d) => !d.lookahead);
    this.#later = pace === 'now' ? [] : detectors.filter((d) => d.lookahead);
    this.#lookahead = Math.max(0, ...this.#later.map((d) => d.lookahead ?? 0));
    // Strictly older than the lookahead: a transfer exactly that much later still falls in a one-off's window.
    this.#pending = new Reorder(this.#lookahead + 1);
  }

  get observed(): number {
    return this.#observed;
  }

  /** Transfers the window holds now: what memory follows. */
  get windowSize(): number {
    return this.#window.size;
  }

  /** When an account was last active before the transfers fed since a restart (dormancy is told from it). */
  remember(account: string, lastMaterial: number | undefined, first: number): void {
    this.#window.remember(account, lastMaterial, first);
  }

  /**
   * Feeds one transfer; answers the alerts it raised or extended. Transfers mostly come in business-time order;
   * one that comes late (before the newest seen) is judged where it belongs, and so is every later transfer
   * whose patterns it can change (see `FlowWindow.affectedBy`): what is found does not depend on the order.
   */
  observe(t: Transfer): Alert[] {
    this.#observed += 1;
    const late = t.executedAt < this.#window.now;
    const seen = this.#window.add(t);
    const changed = new Map<string, Alert>();
    const judge = this.#judge(changed);
    judge(this.#detectors, t, seen, t.id);
    if (late) for (const u of this.#window.affectedBy(t, this.#fastHorizon)) judge(this.#detectors, u, this.#window.activityBefore(u), u.id);
    if (this.#later.length > 0) {
      if (late) {
        for (const account of [t.from, t.to]) {
          const span = this.#dirty.get(account);
          this.#dirty.set(account, { from: Math.min(span?.from ?? t.executedAt, t.executedAt), to: Math.max(span?.to ?? t.executedAt, t.executedAt) });
        }
      }
      for (const u of this.#pending.push(t)) judge(this.#later, u, this.#window.activityBefore(u), `${u.id}\u0000later`);
    }
    return [...changed.values()];
  }

  /**
   * Judges again, with the slow patterns, what late transfers fed since the last call can change: the transfers
   * already judged on their accounts or one hop from them, from a lookahead before to a horizon after (and no
   * later than what is judged already), and every judgement holding one of those as evidence (the monitor calls
   * it after each block; `flush` at the end). Answers the alerts it raised or extended.
   */
  settle(): Alert[] {
    const changed = new Map<string, Alert>();
    if (this.#dirty.size === 0) return [];
    const judge = this.#judge(changed);
    const released = this.#window.now - this.#lookahead - 1;
    const affected = new Map<string, Transfer>();
    const touching = (account: string, from: number, to: number): Transfer[] => [
      ...this.#window.outOf(account, from, to),
      ...this.#window.into(account, from, to),
    ];
    for (const [account, span] of this.#dirty) {
      // Only judgements already made can be stale: transfers released from the lookahead whose reads (which
      // reach a lookahead past them) could take in the late ones. A transfer a little late touches a narrow band.
      const [from, to] = [span.from - this.#lookahead, Math.min(released, span.to + this.#horizon)];
      if (from > to) continue;
      const next = new Set<string>();
      for (const u of touching(account, from, to)) {
        affected.set(u.id, u);
        next.add(u.from === account ? u.to : u.from);
      }
      for (const other of next) for (const u of touching(other, from, to)) affected.set(u.id, u);
    }
    this.#dirty.clear();
    // The judgements that hold an affected transfer as evidence, wherever their own transfer is.
    for (const id of [...affected.keys()]) {
      for (const key of this.#evidenceOf.get(id) ?? []) {
        const judged = this.#judged.get(key);
        if (judged) affected.set(judged.at.id, judged.at);
      }
    }
    const ordered = [...affected.values()].filter((u) => u.executedAt <= released).sort((a, b) => a.executedAt - b.executedAt || (a.id < b.id ? -1 : 1));
    for (const u of ordered) judge(this.#later, u, this.#window.activityBefore(u), `${u.id}\u0000later`);
    return [...changed.values()];
  }

  /**
   * The stream has ended (a back-test's file is read): judges now what waits for later transfers, as if the
   * lookahead had passed with nothing more reported.
   */
  flush(): Alert[] {
    const changed = new Map<string, Alert>();
    const judge = this.#judge(changed);
    for (const a of this.settle()) changed.set(a.key, a);
    for (const u of this.#pending.drain()) judge(this.#later, u, this.#window.activityBefore(u), `${u.id}\u0000later`);
    return [...changed.values()];
  }

  /** Judges a transfer with some detectors, keeping its hits under `as` and the alerts they change in `changed`. */
  #judge(changed: Map<string, Alert>) {
    return (detectors: readonly Detector[], u: Transfer, before: { from: number | undefined; to: number | undefined }, as: string): void => {
      const hits: Hit[] = [];
      for (const d of detectors) {
        for (const h of d.observe(u, this.#window, before)) {
          hits.push(h);
          const alert = this.#merge(h);
          if (alert) changed.set(alert.key, alert);
        }
      }
      if (hits.length > 0) this.#judged.set(as, { at: u, hits });
      else this.#judged.delete(as);
      if (detectors === this.#later) {
        for (const h of hits) {
          for (const e of h.transfers) {
            let keys = this.#evidenceOf.get(e.id);
            if (!keys) this.#evidenceOf.set(e.id, (keys = new Set()));
            keys.add(as);
          }
        }
      }
    };
  }

  /**
   * Every pattern in the transfers fed so far, as each transfer was last judged (a late transfer re-judges the
   * ones it affects, and what a partial window suggested is gone): the same whatever order they came in. The
   * back-test's answer; the monitor raises from what `observe` answers, and an alert raised stays raised.
   */
  alerts(): Alert[] {
    const byTime = [...this.#judged.values()].sort((a, b) => a.at.executedAt - b.at.executedAt || (a.at.id < b.at.id ? -1 : 1));
    const alerts = new Map<string, Alert>();
    const byEvidence = new Map<string, Alert>();
    for (const h of byTime.flatMap((j) => j.hits)) {
      const known = alerts.get(h.key) ?? h.transfers.map((t) => byEvidence.get(`${h.typology}|${t.id}`)).find((a) => a !== undefined);
      const alert = known ?? {
        key: h.key,
        typology: h.typology,
        parametersVersion: this.#parameters.version,
        score: h.score,
        conditions: [],
        accounts: [],
        transfers: [],
      };
      if (!known) alerts.set(h.key, alert);
      for (const t of absorb(alert, h)) if (!byEvidence.has(`${h.typology}|${t.id}`)) byEvidence.set(`${h.typology}|${t.id}`, alert);
    }
    return [...alerts.values()];
  }

  /** The alert with this key, as the engine holds it now. */
  alert(key: string): Alert | undefined {
    return this.#alerts.get(key);
  }

  /** The alert is on the chain (or decided): what it holds is final, and new evidence raises another. */
  seal(key: string): void {
    this.#sealed.add(key);
  }

  /**
   * Alerts the chain already holds (after a restart), before the window is replayed: while it is, they take
   * their evidence back silently; `sealRestored` then seals them, so what was raised is not raised again and
   * what is new gets a key of its own.
   */
  restore(keys: Iterable<string>): void {
    for (const key of keys) {
      this.#restored.add(key);
      const successor = /^(.*)\+(\d+)$/.exec(key);
      if (successor) {
        const [, base, n] = successor as unknown as [string, string, string];
        this.#generations.set(base, Math.max(this.#generations.get(base) ?? 0, Number(n)));
      }
    }
  }

  /** The window is replayed: the restored alerts are final from now on. */
  sealRestored(): void {
    for (const key of this.#restored) this.#sealed.add(key);
    this.#restored.clear();
  }

  #merge(h: Hit): Alert | undefined {
    const current = this.#current(h.key);
    const known = this.#alerts.get(current) ?? this.#sharing(h);
    if (!known) {
      const alert = this.#open({ ...h, key: current });
      // Found again while the window is replayed: the chain has it already; keep its evidence, tell nothing.
      return this.#restored.has(current) ? undefined : alert;
    }
    if (this.#sealed.has(known.key)) {
      const ids = new Set(known.transfers.map((t) => t.id));
      // Seen before in full: nothing new to tell. Anything new is a pattern of its own.
      if (h.transfers.every((t) => ids.has(t.id))) return undefined;
      return this.#open({ ...h, key: this.#next(h.key) });
    }
    const before = known.score;
    const added = absorb(known, h);
    if (added.length === 0 && h.score <= before) return undefined;
    this.#index(known, added);
    return this.#restored.has(known.key) ? undefined : known;
  }

  /** The key an instance's alert has now: its own, or its latest successor's once the first was sealed. */
  #current(key: string): string {
    const n = this.#generations.get(key) ?? 0;
    return n === 0 ? key : `${key}+${n}`;
  }

  /** A successor key for an instance whose alert is sealed (or the instance's own key, if still unused). */
  #next(key: string): string {
    if (!this.#alerts.has(key)) return key;
    const n = (this.#generations.get(key) ?? 0) + 1;
    this.#generations.set(key, n);
    return `${key}+${n}`;
  }

  #open(h: Hit): Alert {
    const alert: Alert = {
      key: h.key,
      typology: h.typology,
      parametersVersion: this.#parameters.version,
      score: h.score,
      conditions: [...h.conditions],
      accounts: [...h.accounts],
      transfers: [...h.transfers],
    };
    this.#alerts.set(h.key, alert);
    this.#index(alert, alert.transfers);
    return alert;
  }

  #sharing(h: Hit): Alert | undefined {
    for (const t of h.transfers) {
      const a = this.#byEvidence.get(`${h.typology}|${t.id}`);
      if (a) return a;
    }
    return undefined;
  }

  /** Evidence points at the latest alert holding it: a successor takes over from a sealed alert. */
  #index(alert: Alert, transfers: readonly Transfer[]): void {
    for (const t of transfers) {
      const k = `${alert.typology}|${t.id}`;
      const holder = this.#byEvidence.get(k);
      if (!holder || this.#sealed.has(holder.key)) this.#byEvidence.set(k, alert);
    }
  }
}

/**
 * Puts transfers back in business-time order when they arrive a little out of it (reports come late): holds
 * each until one `lateness` newer has been seen, so memory follows the lateness, not the history.
 */
export class Reorder {
  readonly #heap: Transfer[] = [];
  readonly #lateness: number;
  #newest = Number.NEGATIVE_INFINITY;

  constructor(lateness: number) {
    this.#lateness = lateness;
  }

  /** Adds a transfer; answers those now old enough to release, oldest first. */
  push(t: Transfer): Transfer[] {
    this.#insert(t);
    this.#newest = Math.max(this.#newest, t.executedAt);
    const out: Transfer[] = [];
    while (this.#heap.length > 0 && (this.#heap[0] as Transfer).executedAt <= this.#newest - this.#lateness) out.push(this.#pop());
    return out;
  }

  /** Releases everything held, oldest first. */
  drain(): Transfer[] {
    const out: Transfer[] = [];
    while (this.#heap.length > 0) out.push(this.#pop());
    return out;
  }

  static #before(a: Transfer, b: Transfer): boolean {
    return a.executedAt < b.executedAt || (a.executedAt === b.executedAt && a.id < b.id);
  }

  #insert(t: Transfer): void {
    const h = this.#heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!Reorder.#before(h[i] as Transfer, h[parent] as Transfer)) break;
      [h[i], h[parent]] = [h[parent] as Transfer, h[i] as Transfer];
      i = parent;
    }
  }

  #pop(): Transfer {
    const h = this.#heap;
    const top = h[0] as Transfer;
    const last = h.pop() as Transfer;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && Reorder.#before(h[l] as Transfer, h[m] as Transfer)) m = l;
        if (r < h.length && Reorder.#before(h[r] as Transfer, h[m] as Transfer)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as Transfer, h[i] as Transfer];
        i = m;
      }
    }
    return top;
  }
}
