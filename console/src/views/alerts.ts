// The alert queue: open alerts first, each with its evidence, notes and history; the regulator moves them
// (acknowledge, resolve, false positive), always with a note.
import { html, nothing, type TemplateResult } from 'lit';
import { ALERT_STATUSES, SEVERITIES, TYPOLOGIES } from '@regchain/common';
import { api } from '../api';
import { yuan } from '../money';
import { t, word } from '../i18n';
import { may } from '../screens';
import type { Alert, AlertHistory, Page } from '../types';
import { errorBox, formValues, loading, okBox, options, problem, short, time, View } from './base';

const MOVES = [
  { action: 'acknowledge', from: ['open'] },
  { action: 'resolve', from: ['open', 'acknowledged'] },
  { action: 'false-positive', from: ['open', 'acknowledged'] },
] as const;

export class RcAlerts extends View {
  static override properties = {
    ...View.properties,
    alertId: { attribute: false },
    page: { state: true },
    selected: { state: true },
    history: { state: true },
    error: { state: true },
    done: { state: true },
    filter: { state: true },
  };
  declare alertId: string;
  declare page: Page<Alert> | undefined;
  declare selected: Alert | undefined;
  declare history: AlertHistory | undefined;
  declare error: string | undefined;
  declare done: string | undefined;
  declare filter: { status: string; severity: string; ruleId: string };
  #bookmarks: string[] = [];

  constructor() {
    super();
    this.filter = { status: 'open', severity: '', ruleId: '' };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load('');
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('alertId') && this.alertId) void this.open(this.alertId);
  }

  private async load(bookmark: string): Promise<void> {
    this.error = undefined;
    try {
      this.page = await api<Page<Alert>>('GET', '/v1/alerts', {
        query: { status: this.filter.status, severity: this.filter.severity, ruleId: this.filter.ruleId, pageSize: 20, bookmark },
      });
    } catch (err) {
      this.error = problem(err);
    }
  }

  private async open(alertId: string): Promise<void> {
    this.done = undefined;
    try {
      [this.selected, this.history] = await Promise.all([
        api<Alert>('GET', `/v1/alerts/${encodeURIComponent(alertId)}`),
        api<AlertHistory>('GET', `/v1/alerts/${encodeURIComponent(alertId)}/history`),
      ]);
    } catch (err) {
      this.error = problem(err);
    }
  }

  private async move(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const a = this.selected;
    const action = (e.submitter as HTMLButtonElement | null)?.value;
    if (!a || !action) return;
    const { note } = formValues(e.target as HTMLFormElement);
    this.error = undefined;
    try {
      await api('POST', `/v1/alerts/${encodeURIComponent(a.alertId)}/${action}`, { body: { note } });
      this.done = t('alerts.moved', { action: t(`alerts.actions.${action}`) });
      (e.target as HTMLFormElement).reset();
      await Promise.all([this.open(a.alertId), this.load(this.#bookmarks.at(-1) ?? '')]);
    } catch (err) {
      this.error = problem(err);
    }
  }

  private filterChanged(e: Event): void {
    const f = formValues((e.target as HTMLElement).closest('form') as HTMLFormElement);
    this.filter = { status: f.status ?? '', severity: f.severity ?? '', ruleId: f.ruleId ?? '' };
    this.#bookmarks = [];
    void this.load('');
  }

  private detail(a: Alert): TemplateResult {
    const movable = may('moveAlerts', this.me.role) ? MOVES.filter((m) => (m.from as readonly string[]).includes(a.status)) : [];
    return html`<article class="card" aria-labelledby="alert-title" data-testid="alert-detail">
      <h3 id="alert-title">${a.ruleName} <span class="sev sev-${a.severity}">${word('severity', a.severity)}</span></h3>
      <dl>
        <dt>${t('alerts.id')}</dt>
        <dd>${a.alertId}</dd>
        <dt>${t('alerts.status')}</dt>
        <dd data-testid="alert-status">${word('alertStatus', a.status)}</dd>
        <dt>${t('alerts.rule')}</dt>
        <dd>${a.ruleId} v${a.ruleVersion}</dd>
        <dt>${t('alerts.amount')}</dt>
        <dd>${yuan(a.amount, this.locale)}</dd>
        <dt>${t('alerts.parties')}</dt>
        <dd>${a.payerEntityId} → ${a.payeeEntityId}</dd>
        <dt>${t('alerts.raisedAt')}</dt>
        <dd>${time(a.raisedAt, this.locale)}</dd>
        ${
          a.pattern
            ? html`<dt>${t('alerts.typology')}</dt>
                <dd>${word('typology', a.pattern.typology)} · ${t('alerts.score')} ${a.pattern.score.toFixed(2)}</dd>
                <dt>${t('alerts.accounts')}</dt>
                <dd>${a.pattern.accounts.join(', ')}</dd>
                <dt>${t('alerts.transfers')}</dt>
                <dd>${a.pattern.transferIds.length}</dd>
                ${
                  (a.pattern.conditions ?? []).length > 0
                    ? html`<dt>${t('alerts.why')}</dt>
                        <dd>
                          <ul data-testid="alert-conditions">
                            ${(a.pattern.conditions ?? []).map(
                              (c) => html`<li>${word('condition', c.name)}: ${c.value} (${t('alerts.reached')} ${c.limit})</li>`,
                            )}
                          </ul>
                        </dd>`
                    : ''
                }`
            : html`<dt>${t('alerts.transfer')}</dt>
                <dd>${a.transferId}</dd>`
        }
      </dl>
      <p>
        <a href="#/trace?alertId=${encodeURIComponent(a.alertId)}">${t('alerts.traceIt')}</a> ·
        <a href="#/audit?transactionId=${a.lastTxId}">${t('alerts.auditIt')}</a>
      </p>
      ${
        movable.length > 0
          ? html`<form @submit=${(e: SubmitEvent) => this.move(e)} class="stack">
              <label for="alert-note">${t('alerts.note')}</label>
              <textarea id="alert-note" name="note" required maxlength="1000" rows="2"></textarea>
              <div class="row">
                ${movable.map((m) => html`<button type="submit" name="action" value=${m.action}>${t(`alerts.actions.${m.action}`)}</button>`)}
              </div>
            </form>`
          : nothing
      }
      ${okBox(this.done)}
      <h4>${t('alerts.notes')}</h4>
      <ol class="timeline">
        ${a.notes.map((n) => html`<li><strong>${word('alertStatus', n.status)}</strong> · ${time(n.at, this.locale)} · ${t(`roles.${n.by.role}`)} ${n.by.entityId}: ${n.note}</li>`)}
      </ol>
      <h4>${t('alerts.history')}</h4>
      <ol class="timeline">
        ${(this.history ?? []).map(
          (h) => html`<li>${h.alert ? word('alertStatus', h.alert.status) : '—'} · <a href="#/audit?transactionId=${h.txId}">${short(h.txId)}</a></li>`,
        )}
      </ol>
    </article>`;
  }

  override render(): TemplateResult {
    const page = this.page;
    return html`<section aria-labelledby="alerts-title">
      <h2 id="alerts-title">${t('alerts.title')}</h2>
      <form class="row filters" @change=${(e: Event) => this.filterChanged(e)} @submit=${(e: Event) => e.preventDefault()}>
        <label
          >${t('alerts.status')}
          <select name="status">
            <option value="">${t('common.all')}</option>
            ${options(ALERT_STATUSES, (v) => word('alertStatus', v), this.filter.status)}
          </select></label
        >
        <label
          >${t('alerts.severity')}
          <select name="severity">
            <option value="">${t('common.all')}</option>
            ${options(SEVERITIES, (v) => word('severity', v), this.filter.severity)}
          </select></label
        >
        <label
          >${t('alerts.typology')}
          <select name="ruleId">
            <option value="">${t('common.all')}</option>
            ${options(
              TYPOLOGIES.map((x) => `pattern.${x}`),
              (v) => word('typology', v.slice('pattern.'.length)),
              this.filter.ruleId,
            )}
          </select></label
        >
      </form>
      ${errorBox(this.error)}
      <div class="split">
        <div>
          ${
            !page
              ? loading()
              : html`<table aria-label=${t('alerts.title')}>
                    <thead>
                      <tr>
                        <th scope="col">${t('alerts.raisedAt')}</th>
                        <th scope="col">${t('alerts.rule')}</th>
                        <th scope="col">${t('alerts.severity')}</th>
                        <th scope="col">${t('alerts.amount')}</th>
                        <th scope="col">${t('alerts.status')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${
                        page.items.length === 0
                          ? html`<tr>
                              <td colspan="5" class="muted">${t(page.bookmark ? 'alerts.noneHere' : 'alerts.none')}</td>
                            </tr>`
                          : page.items.map(
                              (a) =>
                                html`<tr class=${this.selected?.alertId === a.alertId ? 'selected' : ''}>
                                  <td><a href="#/alerts?alertId=${encodeURIComponent(a.alertId)}">${time(a.raisedAt, this.locale)}</a></td>
                                  <td>${a.pattern ? word('typology', a.pattern.typology) : a.ruleName}</td>
                                  <td><span class="sev sev-${a.severity}">${word('severity', a.severity)}</span></td>
                                  <td class="num">${yuan(a.amount, this.locale)}</td>
                                  <td>${word('alertStatus', a.status)}</td>
                                </tr>`,
                            )
                      }
                    </tbody>
                  </table>
                  <div class="row">
                    ${
                      this.#bookmarks.length > 0
                        ? html`<button type="button" class="secondary" @click=${() => (this.#bookmarks.pop(), void this.load(this.#bookmarks.at(-1) ?? ''))}>
                            ${t('common.previous')}
                          </button>`
                        : nothing
                    }
                    ${
                      page.bookmark && page.items.length > 0
                        ? html`<button type="button" class="secondary" @click=${() => (this.#bookmarks.push(page.bookmark), void this.load(page.bookmark))}>
                            ${t('common.next')}
                          </button>`
                        : nothing
                    }
                  </div>`
          }
        </div>
        <div>${this.selected ? this.detail(this.selected) : html`<p class="muted">${t('alerts.pick')}</p>`}</div>
      </div>
    </section>`;
  }
}
