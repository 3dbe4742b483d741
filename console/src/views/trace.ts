// Fund flows: from an account, a transfer, a project or an alert, the trace drawn as a graph (Cytoscape.js):
// amounts on edges, transfers under alert highlighted, a node expanded by tapping it (or its button in the
// table, from the keyboard). A project also shows its budget against what was spent, by purpose.
import { html, nothing, type TemplateResult } from 'lit';
import type { Core } from 'cytoscape';
import { api } from '../api';
import { yuan } from '../money';
import { draw } from '../charts';
import { t } from '../i18n';
import { may } from '../screens';
import type { Alert, Project, ProjectFlows, Trace, Transfer } from '../types';
import { errorBox, formValues, problem, time, View } from './base';

type Edge = Trace['edges'][number];
type Direction = 'forward' | 'backward';

/** Transfers whose alerts are looked up at most (one read each). */
const FLAG_LIMIT = 400;
/** Edges drawn at most; a trace beyond it is cut and says so. */
const MAX_EDGES = 2000;

const KINDS = ['account', 'transfer', 'project', 'alert'] as const;

/** What the screen's address starts the trace from (#/trace?alertId=...), if anything. */
const startKind = (params: URLSearchParams | undefined): (typeof KINDS)[number] | undefined => KINDS.find((k) => params?.get(`${k}Id`));

interface Query {
  kind: (typeof KINDS)[number];
  id: string;
  direction: Direction;
  depth: number;
  fromTime?: string;
  toTime?: string;
  source: 'ledger' | 'index';
}

export class RcTrace extends View {
  static override properties = {
    ...View.properties,
    params: { attribute: false },
    edges: { state: true },
    nodes: { state: true },
    flagged: { state: true },
    project: { state: true },
    error: { state: true },
    busy: { state: true },
    info: { state: true },
  };
  declare params: URLSearchParams;
  declare edges: Map<string, Edge>;
  declare nodes: Map<string, number>;
  declare flagged: Set<string>;
  declare project: Project | undefined;
  declare error: string | undefined;
  declare busy: boolean;
  declare info: string | undefined;
  #query: Query | undefined;
  #cy: Core | undefined;
  #expanded = new Set<string>();
  #checked = new Set<string>();

  constructor() {
    super();
    this.edges = new Map();
    this.nodes = new Map();
    this.flagged = new Set();
  }

  override firstUpdated(): void {
    const p = this.params;
    const kind = startKind(p);
    if (kind) void this.draw({ kind, id: p.get(`${kind}Id`) as string, direction: 'forward', depth: 3, source: 'ledger' });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#cy?.destroy();
  }

  /** Every page of one trace (the chaincode pages edges 200 at a time). */
  private async trace(start: { accountId?: string; transferId?: string }, q: Query, depth = q.depth): Promise<Trace> {
    let bookmark = '';
    let all: Trace | undefined;
    do {
      const page = await api<Trace & { bookmark?: string }>('GET', '/v1/traces', {
        query: { ...start, direction: q.direction, depth, fromTime: q.fromTime, toTime: q.toTime, source: q.source, pageSize: 200, bookmark },
      });
      all = all ? { ...all, edges: [...all.edges, ...page.edges] } : page;
      bookmark = page.bookmark ?? '';
    } while (bookmark && all.edges.length < MAX_EDGES);
    return all;
  }

  private merge(trace: Trace): void {
    const nodes = new Map(this.nodes);
    for (const n of trace.nodes) if (!nodes.has(n.account)) nodes.set(n.account, n.hop);
    const edges = new Map(this.edges);
    for (const e of trace.edges) {
      edges.set(e.transferId, e);
      for (const a of [e.from, e.to]) if (!nodes.has(a)) nodes.set(a, e.hop);
    }
    this.nodes = nodes;
    this.edges = edges;
    if (trace.truncated || edges.size >= MAX_EDGES) this.info = t('trace.truncated');
  }

  /**
   * Marks the drawn transfers that raised an alert: each transfer's record names its alerts, and the caller reads
   * only records it may (the chain decides). Records are read a few at a time, for the first FLAG_LIMIT edges.
   */
  private async flag(): Promise<void> {
    const todo = [...this.edges.keys()].filter((id) => !this.#checked.has(id)).slice(0, Math.max(0, FLAG_LIMIT - this.#checked.size));
    const flagged = new Set(this.flagged);
    for (let i = 0; i < todo.length; i += 8) {
      const batch = todo.slice(i, i + 8);
      const records = await Promise.all(batch.map((id) => api<Transfer>('GET', `/v1/transfers/${encodeURIComponent(id)}`).catch(() => undefined)));
      batch.forEach((id, j) => {
        this.#checked.add(id);
        if ((records[j]?.alerts?.length ?? 0) > 0) flagged.add(id);
      });
    }
    this.flagged = flagged;
    if (this.edges.size > FLAG_LIMIT) this.info = t('trace.flagLimit', { count: FLAG_LIMIT });
  }

  private async draw(q: Query): Promise<void> {
    this.#query = q;
    this.busy = true;
    this.error = undefined;
    this.info = undefined;
    this.project = undefined;
    this.edges = new Map();
    this.nodes = new Map();
    this.#expanded = new Set();
    this.flagged = new Set();
    this.#checked = new Set();
    try {
      const flagged = new Set<string>();
      if (q.kind === 'account') this.merge(await this.trace({ accountId: q.id }, q));
      else if (q.kind === 'transfer') this.merge(await this.trace({ transferId: q.id }, q));
      else if (q.kind === 'alert') {
        const alert = await api<Alert>('GET', `/v1/alerts/${encodeURIComponent(q.id)}`);
        flagged.add(alert.transferId);
        for (const id of alert.pattern?.transferIds ?? []) flagged.add(id);
        this.merge(await this.trace({ transferId: alert.transferId }, q));
        for (const a of alert.pattern?.accounts ?? []) {
          if (!this.nodes.has(a)) this.merge(await this.trace({ accountId: a }, q, 1));
        }
      } else {
        const [project, flows] = await Promise.all([
          api<Project>('GET', `/v1/projects/${encodeURIComponent(q.id)}`),
          api<ProjectFlows>('GET', `/v1/projects/${encodeURIComponent(q.id)}/flows`),
        ]);
        this.project = project;
        for (const account of flows.accounts) this.merge(await this.trace({ accountId: account }, q));
      }
      this.flagged = flagged;
      await this.flag();
      if (this.edges.size === 0) this.info = t('trace.empty');
    } catch (err) {
      this.error = problem(err);
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    await this.drawGraph();
    if (this.project) await this.renderBudget(this.project);
  }

  private async expand(account: string): Promise<void> {
    const q = this.#query;
    if (!q || this.#expanded.has(account)) return;
    this.#expanded.add(account);
    try {
      this.merge(await this.trace({ accountId: account }, q, 1));
      await this.flag();
      await this.updateComplete;
      await this.drawGraph();
    } catch (err) {
      this.error = problem(err);
    }
  }

  private async drawGraph(): Promise<void> {
    const container = this.querySelector<HTMLElement>('#flow-graph');
    if (!container || this.edges.size === 0) return;
    const { default: cytoscape } = await import('cytoscape');
    const start = this.#query?.id;
    const elements = [
      ...[...this.nodes.entries()].map(([account, hop]) => ({ data: { id: account, label: account, hop, start: account === start ? 1 : 0 } })),
      ...[...this.edges.values()].map((e) => ({
        data: { id: `e:${e.transferId}`, source: e.from, target: e.to, label: yuan(e.amount, this.locale), flagged: this.flagged.has(e.transferId) ? 1 : 0 },
      })),
    ];
    this.#cy?.destroy();
    this.#cy = cytoscape({
      container,
      elements,
      wheelSensitivity: 0.3,
      style: [
        {
          selector: 'node',
          style: { label: 'data(label)', 'font-size': 10, 'background-color': '#2b6cb0', color: '#1a202c', 'text-valign': 'bottom', width: 18, height: 18 },
        },
        { selector: 'node[start = 1]', style: { 'background-color': '#c05621', width: 26, height: 26 } },
        {
          selector: 'edge',
          style: {
            label: 'data(label)',
            'font-size': 9,
            'curve-style': 'bezier',
            'target-arrow-shape': 'triangle',
            width: 1.5,
            'line-color': '#718096',
            'target-arrow-color': '#718096',
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.8,
          },
        },
        { selector: 'edge[flagged = 1]', style: { 'line-color': '#c53030', 'target-arrow-color': '#c53030', width: 3, color: '#c53030' } },
      ],
      layout: { name: 'breadthfirst', directed: true, roots: start && this.nodes.has(start) ? [start] : undefined, spacingFactor: 1.1 } as never,
    });
    this.#cy.on('tap', 'node', (e) => void this.expand(e.target.id() as string));
  }

  private async renderBudget(p: Project): Promise<void> {
    const el = this.querySelector<HTMLElement>('#budget-chart');
    if (!el) return;
    await draw(el, {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: 'category', data: p.spending.map((s) => s.purpose) },
      yAxis: { type: 'value', name: t('statistics.amountYuan') },
      series: [
        { type: 'bar', name: t('trace.budget'), data: p.spending.map((s) => s.budget / 100) },
        { type: 'bar', name: t('trace.spent'), data: p.spending.map((s) => s.spent / 100) },
      ],
    });
  }

  private submit(e: Event): void {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    const iso = (x: string | undefined): string | undefined => (x ? new Date(x).toISOString() : undefined);
    void this.draw({
      kind: v.kind as Query['kind'],
      id: v.id ?? '',
      direction: v.direction as Direction,
      depth: Number(v.depth ?? 3),
      fromTime: iso(v.fromTime),
      toTime: iso(v.toTime),
      source: v.source === 'index' ? 'index' : 'ledger',
    });
  }

  override render(): TemplateResult {
    const p = this.params;
    const kind = startKind(p) ?? 'account';
    const edges = [...this.edges.values()].sort((a, b) => a.hop - b.hop || a.time - b.time);
    return html`<section aria-labelledby="trace-title">
      <h2 id="trace-title">${t('trace.title')}</h2>
      <form class="row filters" @submit=${(e: Event) => this.submit(e)}>
        <label
          >${t('trace.from')}
          <select name="kind">
            ${KINDS.map((k) => html`<option value=${k} ?selected=${k === kind}>${t(`trace.kinds.${k}`)}</option>`)}
          </select></label
        >
        <label>${t('trace.id')}<input name="id" required maxlength="64" .value=${p?.get(`${kind}Id`) ?? ''} /></label>
        <label
          >${t('trace.direction')}
          <select name="direction">
            <option value="forward">${t('trace.forward')}</option>
            <option value="backward">${t('trace.backward')}</option>
          </select></label
        >
        <label>${t('trace.hops')}<input name="depth" type="number" min="1" max="10" value="3" /></label>
        <label>${t('trace.fromTime')}<input name="fromTime" type="datetime-local" /></label>
        <label>${t('trace.toTime')}<input name="toTime" type="datetime-local" /></label>
        ${
          may('indexTraces', this.me.role)
            ? html`<label
                >${t('trace.source')}
                <select name="source">
                  <option value="ledger">${t('trace.ledger')}</option>
                  <option value="index">${t('trace.index')}</option>
                </select></label
              >`
            : nothing
        }
        <button type="submit" ?disabled=${this.busy}>${t('trace.draw')}</button>
      </form>
      ${errorBox(this.error)} ${this.info ? html`<p class="muted" role="status">${this.info}</p>` : nothing}
      ${this.busy ? html`<p role="status">${t('common.loading')}</p>` : nothing}
      <p class="muted">${t('trace.explain')}</p>
      <div
        id="flow-graph"
        class="graph"
        role="img"
        aria-label=${t('trace.graphLabel', { nodes: this.nodes.size, edges: this.edges.size })}
        data-testid="flow-graph"
        data-edges=${this.edges.size}
        data-flagged=${edges.filter((e) => this.flagged.has(e.transferId)).length}
      ></div>
      ${
        this.project
          ? html`<figure class="card chart-card">
              <figcaption>${t('trace.budgetTitle', { name: this.project.name })}</figcaption>
              <div id="budget-chart" class="chart" role="img" aria-label=${t('trace.budgetTitle', { name: this.project.name })}></div>
            </figure>`
          : nothing
      }
      ${
        edges.length > 0
          ? html`<details>
              <summary>${t('trace.table', { count: edges.length })}</summary>
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t('trace.hop')}</th>
                    <th scope="col">${t('transfers.from')}</th>
                    <th scope="col">${t('transfers.to')}</th>
                    <th scope="col">${t('transfers.amount')}</th>
                    <th scope="col">${t('transfers.purpose')}</th>
                    <th scope="col">${t('transfers.executedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${edges.map(
                    (e) =>
                      html`<tr class=${this.flagged.has(e.transferId) ? 'flag' : ''}>
                        <td>${e.hop}</td>
                        <td>${e.from}</td>
                        <td>
                          ${e.to}
                          ${
                            this.#expanded.has(e.to)
                              ? nothing
                              : html`<button
                                  type="button"
                                  class="link"
                                  aria-label=${t('trace.expandOne', { account: e.to })}
                                  @click=${() => void this.expand(e.to)}
                                >
                                  ${t('trace.expand')}
                                </button>`
                          }
                        </td>
                        <td class="num">${yuan(e.amount, this.locale)}</td>
                        <td>${e.purpose}</td>
                        <td>${time(e.time, this.locale)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </details>`
          : nothing
      }
    </section>`;
  }
}
