// The live monitor: transfers, rule hits and alerts as their transactions commit, with the stream's state shown
// and resumed after a drop (Last-Event-ID: nothing lost, nothing twice).
import { html, nothing, type TemplateResult } from 'lit';
import { yuan } from '../money';
import { t, word } from '../i18n';
import { type LiveEvent, type LiveState, LiveStream } from '../live';
import { short, View } from './base';
import { WATCHED } from './events-watched';

/** Kept on screen; older rows scroll away. */
const KEEP = 200;

interface Row {
  readonly key: string;
  readonly block: string;
  readonly transactionId: string;
  readonly event: LiveEvent['events'][number];
}

export class RcEvents extends View {
  static override properties = { ...View.properties, state: { state: true }, detail: { state: true }, rows: { state: true }, counts: { state: true } };
  declare state: LiveState;
  declare detail: string | undefined;
  declare rows: Row[];
  declare counts: Record<string, number>;
  #stream: LiveStream | undefined;
  #seen = new Set<string>();

  constructor() {
    super();
    this.state = 'connecting';
    this.rows = [];
    this.counts = {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#stream = new LiveStream({
      types: WATCHED,
      onState: (state, detail) => {
        this.state = state;
        this.detail = detail;
      },
      onEvent: (e) => this.add(e),
    });
    this.#stream.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stream?.close();
  }

  private add(e: LiveEvent): void {
    const fresh: Row[] = [];
    e.events.forEach((event, i) => {
      const key = `${e.transactionId}:${i}`;
      if (this.#seen.has(key)) return;
      this.#seen.add(key);
      fresh.push({ key, block: e.blockNumber, transactionId: e.transactionId, event });
      this.counts = { ...this.counts, [event.type]: (this.counts[event.type] ?? 0) + 1 };
    });
    this.rows = [...fresh.reverse(), ...this.rows].slice(0, KEEP);
  }

  private summary(ev: Row['event']): TemplateResult | string {
    const s = (k: string): string => String(ev[k] ?? '');
    switch (ev.type) {
      case 'TransferRecorded':
        return html`${s('from')} → ${s('to')} · ${yuan(Number(ev.amount ?? 0), this.locale)} · ${s('purpose')}`;
      case 'AlertRaised':
        return html`<a href="#/alerts?alertId=${encodeURIComponent(s('alertId'))}">${s('alertId')}</a> · ${s('ruleId')} ·
          <span class="sev sev-${s('severity')}">${word('severity', s('severity'))}</span>`;
      case 'RuleFired':
        return `${s('ruleId')} v${s('ruleVersion')} · ${s('transferId')}`;
      default:
        return Object.entries(ev)
          .filter(([k]) => k !== 'type')
          .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
          .join(' · ');
    }
  }

  override render(): TemplateResult {
    return html`<section aria-labelledby="events-title">
      <div class="row between">
        <h2 id="events-title">${t('live.title')}</h2>
        <div class="row">
          <span class="live live-${this.state}" role="status" aria-live="polite" data-testid="live-state" data-state=${this.state}
            ><span class="dot" aria-hidden="true"></span>${t(`live.state.${this.state}`)}</span
          >
          <button type="button" class="secondary" @click=${() => this.#stream?.interrupt()}>${t('live.reconnect')}</button>
        </div>
      </div>
      ${this.detail && this.state !== 'live' ? html`<p class="muted">${this.detail}</p>` : nothing}
      <p class="muted">${t('live.explain')}</p>
      <ul class="chips" aria-label=${t('live.counts')}>
        ${WATCHED.map((type) => html`<li>${t(`events.${type}`)}: <strong>${this.counts[type] ?? 0}</strong></li>`)}
      </ul>
      <table aria-label=${t('live.title')}>
        <thead>
          <tr>
            <th scope="col">${t('live.block')}</th>
            <th scope="col">${t('live.event')}</th>
            <th scope="col">${t('live.what')}</th>
            <th scope="col">${t('live.transaction')}</th>
          </tr>
        </thead>
        <tbody data-testid="live-rows">
          ${
            this.rows.length === 0
              ? html`<tr>
                  <td colspan="4" class="muted">${t('live.waiting')}</td>
                </tr>`
              : this.rows.map(
                  (r) =>
                    html`<tr class=${r.event.type === 'AlertRaised' ? 'flag' : ''} data-type=${r.event.type}>
                      <td>${r.block}</td>
                      <td>${t(`events.${r.event.type}`)}</td>
                      <td>${this.summary(r.event)}</td>
                      <td><a href="#/audit?transactionId=${r.transactionId}" title=${r.transactionId}>${short(r.transactionId)}</a></td>
                    </tr>`,
                )
          }
        </tbody>
      </table>
    </section>`;
  }
}
