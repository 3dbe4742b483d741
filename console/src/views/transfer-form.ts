// One transfer's fields, shared by recording and by the compliance dry run (which writes nothing).
import { html, nothing, type TemplateResult } from 'lit';
import { fenOf } from '../money';
import { t } from '../i18n';
import type { Verdict } from '../types';
import { formValues } from './base';

export interface TransferFields {
  fromAccount: string;
  toAccount: string;
  amount: number;
  currency: 'CNY';
  purpose: string;
  reference: string;
  executedAt?: string;
}

/** The transfer typed into the form, or the field that is wrong. */
export function transferOf(form: HTMLFormElement): TransferFields | { invalid: string } {
  const v = formValues(form);
  const amount = fenOf(v.amount ?? '');
  if (amount === undefined || amount <= 0) return { invalid: t('transfers.badAmount') };
  const executedAt = v.executedAt ? new Date(v.executedAt).toISOString() : undefined;
  return {
    fromAccount: v.fromAccount ?? '',
    toAccount: v.toAccount ?? '',
    amount,
    currency: 'CNY',
    purpose: v.purpose ?? '',
    reference: v.reference ?? '',
    ...(executedAt ? { executedAt } : {}),
  };
}

export function transferFields(prefix: string): TemplateResult {
  return html`<div class="grid2">
    <label>${t('transfers.from')}<input name="fromAccount" required maxlength="64" id="${prefix}-from" /></label>
    <label>${t('transfers.to')}<input name="toAccount" required maxlength="64" id="${prefix}-to" /></label>
    <label>${t('transfers.amount')}<input name="amount" required inputmode="decimal" placeholder="1000.00" id="${prefix}-amount" /></label>
    <label>${t('transfers.purpose')}<input name="purpose" required maxlength="64" id="${prefix}-purpose" /></label>
    <label>${t('transfers.reference')}<input name="reference" maxlength="200" id="${prefix}-reference" /></label>
    <label>${t('transfers.executedAt')}<input name="executedAt" type="datetime-local" id="${prefix}-executed" /></label>
  </div>`;
}

export function verdictView(v: Verdict | undefined): TemplateResult | typeof nothing {
  if (!v) return nothing;
  return html`<div class=${v.compliant ? 'ok' : 'error'} role="status" data-testid="verdict">
    <strong>${v.compliant ? t('transfers.compliant') : t('transfers.notCompliant')}</strong>
    ${
      v.violations.length > 0
        ? html`<ul>
            ${v.violations.map((x) => html`<li>${x.code}: ${x.message}</li>`)}
          </ul>`
        : nothing
    }
    ${
      v.blockedBy.length > 0 ? html`<p>${t('transfers.blockedBy')}: ${v.blockedBy.map((b) => `${b.name} (${b.ruleId} v${b.version})`).join(', ')}</p>` : nothing
    }
    ${v.fired && v.fired.length > 0 ? html`<p>${t('transfers.wouldAlert')}: ${v.fired.map((f) => JSON.stringify(f)).join(', ')}</p>` : nothing}
  </div>`;
}
