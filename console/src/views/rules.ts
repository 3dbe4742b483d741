// Rules and the watchlist, managed by the regulator, with the compliance dry run to try a transfer against them.
import { html, nothing, type TemplateResult } from 'lit';
import { RULE_ACTIONS, SEVERITIES, WATCH_KINDS } from '@regchain/common';
import { api } from '../api';
import { t, word } from '../i18n';
import type { Rule, Verdict, WatchlistEntry } from '../types';
import { errorBox, formValues, okBox, options, problem, time, View } from './base';
import { transferFields, transferOf, verdictView } from './transfer-form';

export class RcRules extends View {
  static override properties = {
    ...View.properties,
    rules: { state: true },
    watchlist: { state: true },
    verdict: { state: true },
    error: { state: true },
    done: { state: true },
  };
  declare rules: Rule[] | undefined;
  declare watchlist: WatchlistEntry[] | undefined;
  declare verdict: Verdict | undefined;
  declare error: string | undefined;
  declare done: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      [this.rules, this.watchlist] = await Promise.all([
        api<Rule[]>('GET', '/v1/rules', { query: { includeInactive: true } }),
        api<WatchlistEntry[]>('GET', '/v1/watchlist'),
      ]);
    } catch (err) {
      this.error = problem(err);
    }
  }

  private async run(what: () => Promise<unknown>, done: string, form?: HTMLFormElement): Promise<void> {
    this.error = undefined;
    this.done = undefined;
    try {
      await what();
      this.done = done;
      form?.reset();
      await this.load();
    } catch (err) {
      this.error = problem(err);
    }
  }

  private publish(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    let logic: unknown;
    try {
      logic = JSON.parse(v.logic ?? '');
    } catch {
      this.error = t('rules.badLogic');
      return;
    }
    const purposes = (v.purposes ?? '').split(/[\s,]+/).filter(Boolean);
    const minAmount = v.minAmount ? Number(v.minAmount) : undefined;
    const scope = { ...(purposes.length ? { purposes } : {}), ...(minAmount !== undefined ? { minAmount } : {}) };
    void this.run(
      () =>
        api('POST', '/v1/rules', {
          body: {
            ruleId: v.ruleId,
            name: v.name,
            description: v.description ?? '',
            logic,
            action: v.action,
            severity: v.severity,
            ...(Object.keys(scope).length ? { scope } : {}),
          },
        }),
      t('rules.published', { id: v.ruleId }),
      form,
    );
  }

  private watch(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    void this.run(
      () => api('POST', '/v1/watchlist', { body: { kind: v.kind, value: v.value, reason: v.reason } }),
      t('rules.watched', { value: v.value }),
      form,
    );
  }

  private async check(e: Event): Promise<void> {
    e.preventDefault();
    const transfer = transferOf(e.target as HTMLFormElement);
    this.verdict = undefined;
    this.error = undefined;
    if ('invalid' in transfer) {
      this.error = transfer.invalid;
      return;
    }
    try {
      this.verdict = await api<Verdict>('POST', '/v1/transfers/check', { body: transfer });
    } catch (err) {
      this.error = problem(err);
    }
  }

  private rulesTable(rules: Rule[]): TemplateResult {
    return html`<table aria-label=${t('rules.title')}>
      <thead>
        <tr>
          <th scope="col">${t('rules.id')}</th>
          <th scope="col">${t('rules.name')}</th>
          <th scope="col">${t('rules.action')}</th>
          <th scope="col">${t('rules.severity')}</th>
          <th scope="col">${t('rules.active')}</th>
          <th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th>
        </tr>
      </thead>
      <tbody>
        ${rules.map(
          (r) =>
            html`<tr>
              <td>${r.ruleId} v${r.version}</td>
              <td title=${r.description}>${r.name}</td>
              <td>${word('ruleAction', r.action)}</td>
              <td><span class="sev sev-${r.severity}">${word('severity', r.severity)}</span></td>
              <td>${r.active ? t('common.yes') : t('common.no')}</td>
              <td>
                ${
                  r.active
                    ? html`<button
                        type="button"
                        class="secondary"
                        aria-label=${t('rules.deactivateOne', { id: r.ruleId })}
                        @click=${() => void this.run(() => api('POST', `/v1/rules/${encodeURIComponent(r.ruleId)}/deactivate`, { body: {} }), t('rules.deactivated', { id: r.ruleId }))}
                      >
                        ${t('rules.deactivate')}
                      </button>`
                    : nothing
                }
              </td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  override render(): TemplateResult {
    return html`<section aria-labelledby="rules-title">
      <h2 id="rules-title">${t('rules.title')}</h2>
      ${errorBox(this.error)} ${okBox(this.done)} ${this.rules ? this.rulesTable(this.rules) : nothing}
      <div class="split">
        <form class="card stack" @submit=${(e: Event) => this.publish(e)} aria-labelledby="publish-title">
          <h3 id="publish-title">${t('rules.publish')}</h3>
          <p class="muted">${t('rules.publishExplain')}</p>
          <label>${t('rules.id')}<input name="ruleId" required maxlength="64" pattern="[A-Za-z0-9._:-]+" /></label>
          <label>${t('rules.name')}<input name="name" required maxlength="200" /></label>
          <label>${t('rules.description')}<textarea name="description" maxlength="2000" rows="2"></textarea></label>
          <label>${t('rules.logic')}<textarea name="logic" required rows="4" class="mono">{">": [{"var": "amount"}, 5000000]}</textarea></label>
          <label
            >${t('rules.action')}<select name="action">
              ${options(RULE_ACTIONS, (v) => word('ruleAction', v), 'ALERT')}
            </select></label
          >
          <label
            >${t('rules.severity')}<select name="severity">
              ${options(SEVERITIES, (v) => word('severity', v), 'medium')}
            </select></label
          >
          <label>${t('rules.purposes')}<input name="purposes" /></label>
          <label>${t('rules.minAmount')}<input name="minAmount" inputmode="numeric" pattern="[0-9]*" /></label>
          <button type="submit">${t('rules.publish')}</button>
        </form>
        <form class="card stack" @submit=${(e: Event) => void this.check(e)} aria-labelledby="dryrun-title">
          <h3 id="dryrun-title">${t('transfers.dryRun')}</h3>
          <p class="muted">${t('transfers.dryRunExplain')}</p>
          ${transferFields('rules-check')}
          <button type="submit">${t('transfers.check')}</button>
          ${verdictView(this.verdict)}
        </form>
      </div>
      <h3>${t('rules.watchlist')}</h3>
      <table aria-label=${t('rules.watchlist')}>
        <thead>
          <tr>
            <th scope="col">${t('rules.kind')}</th>
            <th scope="col">${t('rules.value')}</th>
            <th scope="col">${t('rules.reason')}</th>
            <th scope="col">${t('rules.addedAt')}</th>
            <th scope="col"><span class="visually-hidden">${t('common.actions')}</span></th>
          </tr>
        </thead>
        <tbody>
          ${(this.watchlist ?? []).map(
            (w) =>
              html`<tr>
                <td>${word('watchKind', w.kind)}</td>
                <td>${w.value}</td>
                <td>${w.reason}</td>
                <td>${time(w.addedAt, this.locale)}</td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    aria-label=${t('rules.unwatchOne', { value: w.value })}
                    @click=${() => {
                      const note = prompt(t('rules.unwatchNote'));
                      if (note)
                        void this.run(
                          () => api('POST', `/v1/watchlist/${w.kind}/${encodeURIComponent(w.value)}/remove`, { body: { note } }),
                          t('rules.unwatched', { value: w.value }),
                        );
                    }}
                  >
                    ${t('rules.unwatch')}
                  </button>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      <form class="row" @submit=${(e: Event) => this.watch(e)} aria-label=${t('rules.watch')}>
        <label
          >${t('rules.kind')}<select name="kind">
            ${options(WATCH_KINDS, (v) => word('watchKind', v))}
          </select></label
        >
        <label>${t('rules.value')}<input name="value" required maxlength="64" /></label>
        <label>${t('rules.reason')}<input name="reason" required maxlength="500" /></label>
        <button type="submit">${t('rules.watch')}</button>
      </form>
    </section>`;
  }
}
