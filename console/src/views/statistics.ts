// Statistics for supervision, drawn: volumes by purpose and project, alerts by severity and typology, filings by
// status, and day by day. From the monitor's index (the whole history) when it answers, else from the ledger.
import { html, nothing, type TemplateResult } from 'lit';
import { api, ApiFailure } from '../api';
import { yuan } from '../money';
import { draw } from '../charts';
import { t, word } from '../i18n';
import type { Statistics } from '../types';
import { errorBox, loading, problem, View } from './base';

function sumBy<T>(rows: readonly T[], key: (r: T) => string, value: (r: T) => number): [string, number][] {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + value(r));
  return [...out.entries()].sort((a, b) => b[1] - a[1]);
}

export class RcStatistics extends View {
  static override properties = { ...View.properties, stats: { state: true }, error: { state: true }, days: { state: true } };
  declare stats: Statistics | undefined;
  declare error: string | undefined;
  declare days: number;

  constructor() {
    super();
    this.days = 90;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.error = undefined;
    try {
      this.stats = await api<Statistics>('GET', '/v1/statistics', { query: { source: 'index', days: this.days } });
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 503) {
        // The index is down: the ledger's counts, without the daily series.
        this.error = t('statistics.indexDown');
        this.stats = await api<Statistics>('GET', '/v1/statistics').catch((e2: unknown) => ((this.error = problem(e2)), undefined));
      } else this.error = problem(err);
    }
  }

  override updated(): void {
    const s = this.stats;
    if (!s) return;
    const el = (id: string): HTMLElement | null => this.querySelector(`#${id}`);
    const bar = (names: string[], series: { name: string; data: number[] }[], money = false): Record<string, unknown> => ({
      tooltip: { trigger: 'axis', valueFormatter: money ? (v: number) => yuan(v * 100, this.locale) : undefined },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
      yAxis: { type: 'value' },
      series: series.map((x) => ({ type: 'bar', ...x })),
    });
    const byPurpose = sumBy(
      s.transfers,
      (r) => r.purpose,
      (r) => r.amount,
    ).slice(0, 12);
    // '-' is how both sources count transfers outside any project.
    const byProject = sumBy(
      s.transfers.filter((r) => r.projectId && r.projectId !== '-'),
      (r) => r.projectId,
      (r) => r.amount,
    ).slice(0, 12);
    const bySeverity = sumBy(
      s.alerts,
      (r) => r.severity,
      (r) => r.count,
    );
    const byStatus = sumBy(
      s.filings,
      (r) => r.status,
      (r) => r.count,
    );
    const jobs: [string, Record<string, unknown>][] = [
      [
        'chart-purpose',
        bar(
          byPurpose.map(([k]) => k),
          [{ name: t('statistics.amountYuan'), data: byPurpose.map(([, v]) => v / 100) }],
          true,
        ),
      ],
      [
        'chart-project',
        bar(
          byProject.map(([k]) => k),
          [{ name: t('statistics.amountYuan'), data: byProject.map(([, v]) => v / 100) }],
          true,
        ),
      ],
      [
        'chart-severity',
        {
          tooltip: { trigger: 'item' },
          legend: { top: 0 },
          series: [{ type: 'pie', radius: ['35%', '65%'], data: bySeverity.map(([k, v]) => ({ name: word('severity', k), value: v })) }],
        },
      ],
      [
        'chart-typology',
        bar(
          s.patterns.map((p) => word('typology', p.typology)),
          [
            { name: t('statistics.alerts'), data: s.patterns.map((p) => p.alerts) },
            { name: t('statistics.resolved'), data: s.patterns.map((p) => p.resolved) },
            { name: t('statistics.falsePositives'), data: s.patterns.map((p) => p.falsePositives) },
          ],
        ),
      ],
      [
        'chart-filings',
        bar(
          byStatus.map(([k]) => word('filingStatus', k)),
          [{ name: t('statistics.filings'), data: byStatus.map(([, v]) => v) }],
        ),
      ],
    ];
    if (s.daily?.length) {
      jobs.push([
        'chart-daily',
        {
          tooltip: { trigger: 'axis' },
          legend: { top: 0 },
          grid: { left: 8, right: 8, bottom: 40, top: 32, containLabel: true },
          dataZoom: [{ type: 'slider', bottom: 4 }],
          xAxis: { type: 'category', data: s.daily.map((d) => d.day) },
          yAxis: [
            { type: 'value', name: t('statistics.count') },
            { type: 'value', name: t('statistics.amountYuan') },
          ],
          series: [
            { type: 'line', name: t('statistics.transfers'), data: s.daily.map((d) => d.transfers) },
            { type: 'line', name: t('statistics.alerts'), data: s.daily.map((d) => d.alerts) },
            { type: 'bar', name: t('statistics.amountYuan'), yAxisIndex: 1, data: s.daily.map((d) => d.amount / 100) },
          ],
        },
      ]);
    }
    for (const [id, option] of jobs) {
      const target = el(id);
      if (target) void draw(target, option);
    }
  }

  private chart(id: string, title: string): TemplateResult {
    return html`<figure class="card chart-card">
      <figcaption>${title}</figcaption>
      <div id=${id} class="chart" role="img" aria-label=${title}></div>
    </figure>`;
  }

  override render(): TemplateResult {
    const s = this.stats;
    const total = s ? s.transfers.reduce((a, r) => a + r.amount, 0) : 0;
    const count = s ? s.transfers.reduce((a, r) => a + r.count, 0) : 0;
    const alerts = s ? s.alerts.reduce((a, r) => a + r.count, 0) : 0;
    return html`<section aria-labelledby="stats-title">
      <div class="row between">
        <h2 id="stats-title">${t('statistics.title')}</h2>
        <label
          >${t('statistics.days')}
          <select
            @change=${(e: Event) => {
              this.days = Number((e.target as HTMLSelectElement).value);
              void this.load();
            }}
          >
            ${[30, 90, 365].map((d) => html`<option value=${d} ?selected=${d === this.days}>${d}</option>`)}
          </select></label
        >
      </div>
      ${errorBox(this.error)}
      ${
        !s
          ? loading()
          : html`<p class="muted" data-testid="stats-source">
                ${t(`statistics.source.${s.source ?? 'ledger'}`)}${s.asOfBlock !== undefined && s.asOfBlock !== null ? ` · ${t('statistics.asOf', { block: s.asOfBlock })}` : ''}
              </p>
              <ul class="kpis">
                <li><span>${t('statistics.transfers')}</span><strong>${count.toLocaleString(this.locale)}</strong></li>
                <li><span>${t('statistics.volume')}</span><strong>${yuan(total, this.locale)}</strong></li>
                <li><span>${t('statistics.alerts')}</span><strong>${alerts.toLocaleString(this.locale)}</strong></li>
                <li><span>${t('statistics.filings')}</span><strong>${s.filings.reduce((a, r) => a + r.count, 0)}</strong></li>
              </ul>
              <div class="charts">
                ${s.daily?.length ? this.chart('chart-daily', t('statistics.overTime')) : nothing} ${this.chart('chart-purpose', t('statistics.byPurpose'))}
                ${this.chart('chart-project', t('statistics.byProject'))} ${this.chart('chart-severity', t('statistics.bySeverity'))}
                ${this.chart('chart-typology', t('statistics.byTypology'))} ${this.chart('chart-filings', t('statistics.byStatus'))}
              </div>`
      }
    </section>`;
  }
}
