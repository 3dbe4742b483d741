// Anyone may check a filing number: the public fields, and whether the number may still be displayed.
import { html, nothing, type TemplateResult } from 'lit';
import type { Static } from '@sinclair/typebox';
import type { PublicFilingRecord } from '@regchain/common';
import { api, ApiFailure } from '../api';
import { t, word } from '../i18n';
import { errorBox, problem, time, View } from './base';

export class RcLookup extends View {
  static override properties = { ...View.properties, result: { state: true }, error: { state: true }, busy: { state: true } };
  declare result: Static<typeof PublicFilingRecord> | undefined;
  declare error: string | undefined;
  declare busy: boolean;

  private async lookup(e: Event): Promise<void> {
    e.preventDefault();
    const number = ((e.target as HTMLFormElement).elements.namedItem('filingNumber') as HTMLInputElement).value.trim();
    if (!number) return;
    this.busy = true;
    this.result = undefined;
    this.error = undefined;
    try {
      this.result = await api('GET', `/v1/public/filings/${encodeURIComponent(number)}`, { anonymous: true });
    } catch (err) {
      this.error = err instanceof ApiFailure && err.status === 404 ? t('lookup.notFound', { number }) : problem(err);
    } finally {
      this.busy = false;
    }
  }

  override render(): TemplateResult {
    const r = this.result;
    return html`<section class="card narrow" aria-labelledby="lookup-title">
      <h2 id="lookup-title">${t('lookup.title')}</h2>
      <p class="muted">${t('lookup.explain')}</p>
      <form @submit=${(e: Event) => this.lookup(e)}>
        <label for="filing-number">${t('lookup.number')}</label>
        <input id="filing-number" name="filingNumber" maxlength="64" required placeholder="网信备…" />
        <button type="submit" ?disabled=${this.busy}>${t('lookup.submit')}</button>
      </form>
      ${errorBox(this.error)}
      ${
        r
          ? html`<div class="result" role="status" data-testid="lookup-result">
              <p class=${r.current ? 'ok' : 'warn'}>${r.current ? t('lookup.current') : t('lookup.notCurrent')}</p>
              <dl>
                <dt>${t('lookup.number')}</dt>
                <dd>${r.filingNumber}</dd>
                <dt>${t('filings.applicant')}</dt>
                <dd>${r.applicantName}</dd>
                <dt>${t('filings.service')}</dt>
                <dd>${r.serviceName}</dd>
                <dt>${t('filings.category')}</dt>
                <dd>${word('category', r.category)}</dd>
                <dt>${t('filings.field')}</dt>
                <dd>${word('field', r.applicationField)}</dd>
                <dt>${t('filings.status')}</dt>
                <dd>${word('filingStatus', r.status)}</dd>
                ${
                  r.approvedAt
                    ? html`<dt>${t('filings.approvedAt')}</dt>
                        <dd>${time(r.approvedAt, this.locale)}</dd>`
                    : nothing
                }
              </dl>
            </div>`
          : nothing
      }
    </section>`;
  }
}
