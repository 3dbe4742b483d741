// Accounts and transfers: open and look up accounts (and, with the index, who they deal with), record a
// transfer or dry-run it against the rules, and upload a bank's CSV with its progress.
import { html, nothing, type TemplateResult } from 'lit';
import { api } from '../api';
import { yuan } from '../money';
import { t, word } from '../i18n';
import { may } from '../screens';
import type { Account, Counterparties, Transfer, Verdict } from '../types';
import { errorBox, formValues, okBox, problem, short, time, View } from './base';
import { gradeBadge } from './credit-lookup';
import { transferFields, transferOf, verdictView } from './transfer-form';

interface UploadStatus {
  uploadId: string;
  status: 'running' | 'done' | 'failed';
  total: number;
  processed: number;
  recorded: number;
  alreadyRecorded: number;
  failed: number;
  failures: { line: number; code: string; message: string }[];
  error?: string;
}

export class RcTransfers extends View {
  static override properties = {
    ...View.properties,
    verdict: { state: true },
    recorded: { state: true },
    account: { state: true },
    ownerGrade: { state: true },
    counterparties: { state: true },
    transfer: { state: true },
    upload: { state: true },
    error: { state: true },
    done: { state: true },
  };
  declare verdict: Verdict | undefined;
  declare recorded: Transfer | undefined;
  declare account: Account | undefined;
  /** The account owner's credit grade, beside the account (what any member may know of it). */
  declare ownerGrade: { grade: string; sanctions: unknown[] } | undefined;
  declare counterparties: Counterparties | undefined;
  declare transfer: Transfer | undefined;
  declare upload: UploadStatus | undefined;
  declare error: string | undefined;
  declare done: string | undefined;
  #polling: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#polling);
  }

  private async attempt(what: () => Promise<void>): Promise<void> {
    this.error = undefined;
    this.done = undefined;
    try {
      await what();
    } catch (err) {
      this.error = problem(err);
    }
  }

  private submitTransfer(e: SubmitEvent): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const transfer = transferOf(form);
    if ('invalid' in transfer) {
      this.error = transfer.invalid;
      return;
    }
    const dryRun = (e.submitter as HTMLButtonElement | null)?.value === 'check';
    void this.attempt(async () => {
      this.verdict = undefined;
      if (dryRun) {
        this.verdict = await api<Verdict>('POST', '/v1/transfers/check', { body: transfer });
        return;
      }
      const res = await api<{ result: Transfer }>('POST', '/v1/transfers', { body: transfer });
      this.recorded = res.result;
      this.done = t('transfers.recorded', { id: res.result.transferId });
      form.reset();
    });
  }

  private openAccount(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    void this.attempt(async () => {
      await api('POST', '/v1/accounts', {
        body: { accountId: v.accountId, ownerEntityId: v.ownerEntityId, name: v.name, ...(v.projectId ? { projectId: v.projectId } : {}) },
      });
      this.done = t('transfers.accountOpened', { id: v.accountId });
      form.reset();
    });
  }

  private lookUp(e: Event): void {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    void this.attempt(async () => {
      this.account = undefined;
      this.counterparties = undefined;
      this.transfer = undefined;
      if (v.kind === 'transfer') {
        this.transfer = await api<Transfer>('GET', `/v1/transfers/${encodeURIComponent(v.id ?? '')}`);
        return;
      }
      this.account = await api<Account>('GET', `/v1/accounts/${encodeURIComponent(v.id ?? '')}`);
      this.ownerGrade = undefined;
      if (may('counterpartyGrade', this.me.role)) {
        this.ownerGrade = await api<{ grade: string; sanctions: unknown[] }>('GET', `/v1/credit/entities/${this.account.ownerEntityId}`).catch(() => undefined);
      }
      if (may('counterparties', this.me.role)) {
        this.counterparties = await api<Counterparties>('GET', `/v1/accounts/${encodeURIComponent(v.id ?? '')}/counterparties`).catch(() => undefined);
      }
    });
  }

  private uploadCsv(e: Event): void {
    e.preventDefault();
    const file = ((e.target as HTMLFormElement).elements.namedItem('csv') as HTMLInputElement).files?.[0];
    if (!file) return;
    void this.attempt(async () => {
      this.upload = await api<UploadStatus>('POST', '/v1/transfers/uploads', { body: await file.text() });
      this.poll();
    });
  }

  private poll(): void {
    const u = this.upload;
    if (!u || u.status !== 'running') return;
    this.#polling = setTimeout(() => {
      void api<UploadStatus>('GET', `/v1/transfers/uploads/${u.uploadId}`)
        .then((s) => {
          this.upload = s;
          this.poll();
        })
        .catch((err: unknown) => (this.error = problem(err)));
    }, 1000);
  }

  private uploadView(u: UploadStatus): TemplateResult {
    return html`<div class="stack" data-testid="upload-progress">
      <label for="upload-bar">${t('transfers.uploadProgress', { processed: u.processed, total: u.total })}</label>
      <progress id="upload-bar" max=${u.total} .value=${u.processed}></progress>
      <p role="status">
        ${t(`transfers.uploadStatus.${u.status}`)} · ${t('transfers.uploadCounts', { recorded: u.recorded, already: u.alreadyRecorded, failed: u.failed })}
      </p>
      ${u.error ? html`<p class="error">${u.error}</p>` : nothing}
      ${
        u.failures.length > 0
          ? html`<ul>
              ${u.failures.slice(0, 20).map((f) => html`<li>${t('transfers.line', { line: f.line })}: ${f.code} ${f.message}</li>`)}
            </ul>`
          : nothing
      }
    </div>`;
  }

  private transferView(x: Transfer): TemplateResult {
    return html`<dl data-testid="transfer">
      <dt>${t('transfers.id')}</dt>
      <dd>${x.transferId}</dd>
      <dt>${t('transfers.from')} → ${t('transfers.to')}</dt>
      <dd>${x.from} → ${x.to}</dd>
      <dt>${t('transfers.amount')}</dt>
      <dd>${yuan(x.amount, this.locale)}</dd>
      <dt>${t('transfers.purpose')}</dt>
      <dd>${x.purpose}${x.projectId ? ` · ${x.projectId}` : ''}</dd>
      <dt>${t('transfers.executedAt')}</dt>
      <dd>${time(x.executedAt, this.locale)}</dd>
      <dt>${t('transfers.recordedAt')}</dt>
      <dd>${time(x.recordedAt, this.locale)}</dd>
      ${
        x.alerts && x.alerts.length > 0
          ? html`<dt>${t('transfers.alerts')}</dt>
              <dd>${x.alerts.join(', ')}</dd>`
          : nothing
      }
    </dl>`;
  }

  override render(): TemplateResult {
    const role = this.me.role;
    return html`<section aria-labelledby="transfers-title">
      <h2 id="transfers-title">${t('transfers.title')}</h2>
      ${errorBox(this.error)} ${okBox(this.done)}
      <div class="split">
        <form class="card stack" @submit=${(e: SubmitEvent) => this.submitTransfer(e)} aria-labelledby="transfer-form-title">
          <h3 id="transfer-form-title">${may('recordTransfers', role) ? t('transfers.record') : t('transfers.dryRun')}</h3>
          <p class="muted">${t('transfers.dryRunExplain')}</p>
          ${transferFields('transfer')}
          <div class="row">
            <button type="submit" name="mode" value="check" class="secondary">${t('transfers.check')}</button>
            ${may('recordTransfers', role) ? html`<button type="submit" name="mode" value="record">${t('transfers.recordIt')}</button>` : nothing}
          </div>
          ${verdictView(this.verdict)} ${this.recorded ? this.transferView(this.recorded) : nothing}
        </form>
        <div class="stack">
          <form class="card stack" @submit=${(e: Event) => this.lookUp(e)} aria-labelledby="lookup-acc-title">
            <h3 id="lookup-acc-title">${t('transfers.lookUp')}</h3>
            <div class="row">
              <label
                >${t('transfers.kind')}<select name="kind">
                  <option value="account">${t('transfers.account')}</option>
                  <option value="transfer">${t('transfers.transfer')}</option>
                </select></label
              >
              <label>${t('transfers.id')}<input name="id" required maxlength="64" /></label>
              <button type="submit">${t('common.show')}</button>
            </div>
            ${
              this.account
                ? html`<dl data-testid="account">
                    <dt>${t('transfers.account')}</dt>
                    <dd>${this.account.accountId} · ${this.account.name}</dd>
                    <dt>${t('transfers.owner')}</dt>
                    <dd>${this.account.ownerEntityId}</dd>
                    ${
                      this.ownerGrade
                        ? html`<dt>${t('credit.ownerGrade')}</dt>
                            <dd data-testid="owner-grade">
                              ${gradeBadge(this.ownerGrade.grade)} ${word('grade', this.ownerGrade.grade)}
                              ${this.ownerGrade.sanctions.length ? html` · ${t('credit.inPublication', { count: this.ownerGrade.sanctions.length })}` : nothing}
                              <a href="#/creditLookup">${t('nav.creditLookup')}</a>
                            </dd>`
                        : nothing
                    }
                    <dt>${t('transfers.bank')}</dt>
                    <dd>${this.account.holderBankId}</dd>
                    ${
                      this.account.projectId
                        ? html`<dt>${t('trace.project')}</dt>
                            <dd>${this.account.projectId}</dd>`
                        : nothing
                    }
                  </dl>`
                : nothing
            }
            ${
              this.counterparties
                ? html`<table aria-label=${t('transfers.counterparties')}>
                    <caption>
                      ${t('transfers.counterparties')}
                    </caption>
                    <thead>
                      <tr>
                        <th scope="col">${t('transfers.account')}</th>
                        <th scope="col">${t('transfers.paid')}</th>
                        <th scope="col">${t('transfers.received')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      ${this.counterparties.counterparties.slice(0, 20).map(
                        (c) =>
                          html`<tr>
                            <td>${c.account}</td>
                            <td class="num">${yuan(c.paid, this.locale)} (${c.payments})</td>
                            <td class="num">${yuan(c.received, this.locale)} (${c.receipts})</td>
                          </tr>`,
                      )}
                    </tbody>
                  </table>`
                : nothing
            }
            ${this.transfer ? this.transferView(this.transfer) : nothing}
          </form>
          ${
            may('openAccounts', role)
              ? html`<form class="card stack" @submit=${(e: Event) => this.openAccount(e)} aria-labelledby="open-acc-title">
                  <h3 id="open-acc-title">${t('transfers.openAccount')}</h3>
                  <label>${t('transfers.accountId')}<input name="accountId" required maxlength="64" /></label>
                  <label>${t('transfers.owner')}<input name="ownerEntityId" required .value=${role === 'enterprise' ? this.me.entityId : ''} /></label>
                  <label>${t('transfers.accountName')}<input name="name" required maxlength="200" /></label>
                  <label>${t('trace.project')} (${t('filings.optional')})<input name="projectId" maxlength="64" /></label>
                  <button type="submit">${t('transfers.open')}</button>
                </form>`
              : nothing
          }
          ${
            may('recordTransfers', role)
              ? html`<form class="card stack" @submit=${(e: Event) => this.uploadCsv(e)} aria-labelledby="upload-title">
                  <h3 id="upload-title">${t('transfers.upload')}</h3>
                  <p class="muted">${t('transfers.uploadExplain')}</p>
                  <label>${t('transfers.csvFile')}<input name="csv" type="file" accept=".csv,text/csv" required /></label>
                  <button type="submit">${t('transfers.uploadIt')}</button>
                  ${this.upload ? this.uploadView(this.upload) : nothing}
                </form>`
              : nothing
          }
        </div>
      </div>
      <p class="muted">${this.recorded ? html`${t('transfers.lastTx')}: <code>${short(this.recorded.transferId)}</code>` : nothing}</p>
    </section>`;
  }
}
