// The credit lookup anyone may use without a key, and what it shows: an entity's grade and its sanctions in
// their publication period (what partners and the public may know). The credit screen and the bank's account
// view show a grade the same way.
import { html, nothing, type TemplateResult } from 'lit';
import type { Static } from '@sinclair/typebox';
import type { CreditStandingRecord } from '@regchain/common';
import { api, ApiFailure } from '../api';
import { yuan } from '../money';
import { t, word } from '../i18n';
import { errorBox, formValues, problem, time, View } from './base';

type Standing = Static<typeof CreditStandingRecord>;

/** A grade as a badge: A and B fine, M new, C and D a warning. */
export const gradeBadge = (grade: string): TemplateResult =>
  html`<span class="grade grade-${grade}" data-testid="grade" title=${word('grade', grade)}>${grade}</span>`;

/** An entity's standing: its grade and the sanctions in publication (what partners and the public see). */
export function standingView(s: Standing, locale: string): TemplateResult {
  return html`<div class="result" role="status" data-testid="credit-standing">
    <dl>
      <dt>${t('credit.entity')}</dt>
      <dd>${s.entityId}</dd>
      <dt>${t('credit.grade')}</dt>
      <dd>${gradeBadge(s.grade)} ${word('grade', s.grade)}</dd>
      <dt>${t('credit.model')}</dt>
      <dd>${t('credit.version', { version: s.modelVersion })}</dd>
    </dl>
    ${
      s.sanctions.length === 0
        ? html`<p class="muted">${t('credit.noSanctions')}</p>`
        : html`<table aria-label=${t('credit.sanctions')}>
            <caption>
              ${t('credit.sanctions')}
            </caption>
            <thead>
              <tr>
                <th scope="col">${t('credit.decisionNumber')}</th>
                <th scope="col">${t('credit.legalBasis')}</th>
                <th scope="col">${t('credit.fine')}</th>
                <th scope="col">${t('credit.decidedAt')}</th>
                <th scope="col">${t('credit.publishedUntil')}</th>
              </tr>
            </thead>
            <tbody>
              ${s.sanctions.map(
                (x) =>
                  html`<tr>
                    <td>${x.decisionNumber}</td>
                    <td>${x.legalBasis}</td>
                    <td class="num">${yuan(x.amount, locale)}</td>
                    <td>${time(x.decidedAt, locale)}</td>
                    <td>${time(x.publishedUntil, locale)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </div>`;
}

/** The credit lookup by unified social credit code: public (no key) when signed out. */
export class RcCreditLookup extends View {
  static override properties = { ...View.properties, result: { state: true }, error: { state: true }, busy: { state: true } };
  declare result: Standing | undefined;
  declare error: string | undefined;
  declare busy: boolean;

  private async lookup(e: Event): Promise<void> {
    e.preventDefault();
    const code = formValues(e.target as HTMLFormElement).entityId?.toUpperCase() ?? '';
    this.busy = true;
    this.result = undefined;
    this.error = undefined;
    try {
      this.result = await api<Standing>('GET', `/v1/public/credit/${encodeURIComponent(code)}`, { anonymous: true });
    } catch (err) {
      this.error = err instanceof ApiFailure && err.code === 'VALIDATION_FAILED' ? t('credit.badCode', { code }) : problem(err);
    } finally {
      this.busy = false;
    }
  }

  override render(): TemplateResult {
    return html`<section class="card narrow" aria-labelledby="credit-lookup-title">
      <h2 id="credit-lookup-title">${t('credit.lookupTitle')}</h2>
      <p class="muted">${t('credit.lookupExplain')}</p>
      <form @submit=${(e: Event) => this.lookup(e)}>
        <label for="credit-code">${t('credit.entity')}</label>
        <input id="credit-code" name="entityId" maxlength="18" minlength="18" required pattern="[0-9A-Za-z]{18}" placeholder="91500000MA5U0ENT1W" />
        <button type="submit" ?disabled=${this.busy}>${t('lookup.submit')}</button>
      </form>
      ${errorBox(this.error)} ${this.result ? standingView(this.result, this.locale) : nothing}
    </section>`;
  }
}
