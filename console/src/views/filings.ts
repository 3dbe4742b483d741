// Filings. The regulator's review queue (take under review, approve with a number, return, reject); the
// enterprise's own filings (submit with attachments hashed here, amend, history); the auditor reads.
import { html, nothing, type TemplateResult } from 'lit';
import { APPLICANT_TYPES, APPLICATION_FIELDS, FILING_STATUSES, SERVICE_CATEGORIES, SERVICE_FORMS } from '@regchain/common';
import { api } from '../api';
import { hashFiles } from '../digest';
import { t, word } from '../i18n';
import { may } from '../screens';
import type { Filing, FilingHistory, Page } from '../types';
import { errorBox, formValues, loading, okBox, options, problem, short, time, View } from './base';

const DECISIONS = [
  { action: 'review', from: ['submitted', 'amended'], reason: false },
  { action: 'approve', from: ['under_review'], reason: false },
  { action: 'return', from: ['under_review'], reason: true },
  { action: 'reject', from: ['under_review'], reason: true },
] as const;
const AMENDABLE = ['submitted', 'returned', 'approved'];

export class RcFilings extends View {
  static override properties = {
    ...View.properties,
    filingId: { attribute: false },
    page: { state: true },
    selected: { state: true },
    history: { state: true },
    status: { state: true },
    error: { state: true },
    done: { state: true },
    editing: { state: true },
    busy: { state: true },
  };
  declare filingId: string;
  declare page: Page<Filing> | undefined;
  declare selected: Filing | undefined;
  declare history: FilingHistory | undefined;
  declare status: string;
  declare error: string | undefined;
  declare done: string | undefined;
  /** 'new', 'amend' or '' */
  declare editing: string;
  declare busy: boolean;

  override connectedCallback(): void {
    super.connectedCallback();
    this.status = this.me.role === 'regulator' ? 'submitted' : '';
    this.editing = '';
    void this.load();
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('filingId') && this.filingId) void this.open(this.filingId);
  }

  private async load(): Promise<void> {
    try {
      this.page = await api<Page<Filing>>('GET', '/v1/filings', {
        query: { status: this.status, pageSize: 50, ...(this.me.role === 'enterprise' ? { entityId: this.me.entityId } : {}) },
      });
    } catch (err) {
      this.error = problem(err);
    }
  }

  private async open(filingId: string): Promise<void> {
    try {
      [this.selected, this.history] = await Promise.all([
        api<Filing>('GET', `/v1/filings/${encodeURIComponent(filingId)}`),
        api<FilingHistory>('GET', `/v1/filings/${encodeURIComponent(filingId)}/history`),
      ]);
    } catch (err) {
      this.error = problem(err);
    }
  }

  private async decide(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const f = this.selected;
    const action = (e.submitter as HTMLButtonElement | null)?.value;
    if (!f || !action) return;
    const { note = '' } = formValues(e.target as HTMLFormElement);
    const d = DECISIONS.find((x) => x.action === action);
    if (d?.reason && !note) {
      this.error = t('filings.reasonNeeded');
      return;
    }
    this.busy = true;
    this.error = undefined;
    this.done = undefined;
    try {
      await api('POST', `/v1/filings/${encodeURIComponent(f.filingId)}/${action}`, { body: note ? { note } : {} });
      await this.open(f.filingId);
      this.done = this.selected?.filingNumber && action === 'approve' ? t('filings.approved', { number: this.selected.filingNumber }) : t('filings.decided');
      (e.target as HTMLFormElement).reset();
      await this.load();
    } catch (err) {
      this.error = problem(err);
    } finally {
      this.busy = false;
    }
  }

  /** Submit or amend: attachments are read and hashed in this browser; only names and digests are sent. */
  private async save(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const files = (form.elements.namedItem('attachments') as HTMLInputElement).files;
    this.busy = true;
    this.error = undefined;
    try {
      const attachments = files && files.length > 0 ? await hashFiles(files) : this.editing === 'amend' ? (this.selected?.attachments ?? []) : [];
      const service = {
        name: v.serviceName ?? '',
        category: v.category ?? '',
        form: v.form ?? '',
        applicationField: v.applicationField ?? '',
        serverAddresses: (v.serverAddresses ?? '').split(/[\s,]+/).filter(Boolean),
        description: v.description ?? '',
      };
      const personInCharge = v.picName ? { name: v.picName, idNumber: v.picId ?? '', phone: v.picPhone ?? '', email: v.picEmail ?? '' } : undefined;
      if (this.editing === 'amend' && this.selected) {
        await api('PUT', `/v1/filings/${encodeURIComponent(this.selected.filingId)}`, {
          body: { service, attachments, ...(personInCharge ? { personInCharge } : {}) },
        });
        await this.open(this.selected.filingId);
        this.done = t('filings.amended');
      } else {
        const res = await api<{ result: Filing }>('POST', '/v1/filings', {
          body: { applicant: { name: v.applicantName, type: v.applicantType, creditCode: this.me.entityId }, service, attachments, personInCharge },
        });
        this.done = t('filings.submitted', { id: res.result.filingId });
        await this.open(res.result.filingId);
      }
      this.editing = '';
      await this.load();
    } catch (err) {
      this.error = problem(err);
    } finally {
      this.busy = false;
    }
  }

  private editor(): TemplateResult {
    const amend = this.editing === 'amend' ? this.selected : undefined;
    const s = amend?.service;
    return html`<form class="card stack" @submit=${(e: SubmitEvent) => this.save(e)} aria-labelledby="filing-form-title">
      <h3 id="filing-form-title">${amend ? t('filings.amendTitle', { id: amend.filingId }) : t('filings.newTitle')}</h3>
      ${
        amend
          ? nothing
          : html`<label>${t('filings.applicant')}<input name="applicantName" required maxlength="200" /></label>
              <label
                >${t('filings.applicantType')}<select name="applicantType">
                  ${options(APPLICANT_TYPES, (x) => word('applicantType', x))}
                </select></label
              >
              <p class="muted">${t('filings.creditCode')}: ${this.me.entityId}</p>`
      }
      <label>${t('filings.service')}<input name="serviceName" required maxlength="200" .value=${s?.name ?? ''} /></label>
      <label
        >${t('filings.category')}<select name="category">
          ${options(SERVICE_CATEGORIES, (x) => word('category', x), s?.category)}
        </select></label
      >
      <label
        >${t('filings.form')}<select name="form">
          ${options(SERVICE_FORMS, (x) => word('form', x), s?.form)}
        </select></label
      >
      <label
        >${t('filings.field')}<select name="applicationField">
          ${options(APPLICATION_FIELDS, (x) => word('field', x), s?.applicationField)}
        </select></label
      >
      <label
        >${t('filings.servers')}<input name="serverAddresses" required .value=${s?.serverAddresses.join(' ') ?? ''} placeholder="chain.example.cn 10.0.0.1"
      /></label>
      <label>${t('filings.description')}<textarea name="description" maxlength="2000" rows="3" .value=${s?.description ?? ''}></textarea></label>
      <label>${t('filings.attachments')}<input name="attachments" type="file" multiple /></label>
      <p class="muted">${t('filings.hashedHere')}</p>
      <fieldset>
        <legend>${t('filings.person')}${amend ? ` (${t('filings.optional')})` : ''}</legend>
        <label>${t('filings.personName')}<input name="picName" ?required=${!amend} maxlength="100" /></label>
        <label>${t('filings.personId')}<input name="picId" ?required=${!amend} pattern="[0-9]{17}[0-9X]" /></label>
        <label>${t('filings.personPhone')}<input name="picPhone" ?required=${!amend} pattern="\\+?[0-9\\-]{6,20}" /></label>
        <label>${t('filings.personEmail')}<input name="picEmail" type="email" ?required=${!amend} /></label>
      </fieldset>
      <div class="row">
        <button type="submit" ?disabled=${this.busy}>${amend ? t('filings.amend') : t('filings.submit')}</button>
        <button type="button" class="secondary" @click=${() => (this.editing = '')}>${t('common.cancel')}</button>
      </div>
    </form>`;
  }

  private detail(f: Filing): TemplateResult {
    const decisions = may('reviewFilings', this.me.role) ? DECISIONS.filter((d) => (d.from as readonly string[]).includes(f.status)) : [];
    const mine = may('submitFilings', this.me.role);
    return html`<article class="card" aria-labelledby="filing-title" data-testid="filing-detail">
      <h3 id="filing-title">${f.service.name}</h3>
      <dl>
        <dt>${t('filings.id')}</dt>
        <dd>${f.filingId}</dd>
        <dt>${t('filings.status')}</dt>
        <dd data-testid="filing-status">${word('filingStatus', f.status)}</dd>
        ${
          f.filingNumber
            ? html`<dt>${t('filings.number')}</dt>
                <dd data-testid="filing-number">${f.filingNumber}</dd>`
            : nothing
        }
        <dt>${t('filings.applicant')}</dt>
        <dd>${f.applicant.name} (${f.applicant.creditCode})</dd>
        <dt>${t('filings.category')}</dt>
        <dd>${word('category', f.service.category)} · ${word('form', f.service.form)} · ${word('field', f.service.applicationField)}</dd>
        <dt>${t('filings.servers')}</dt>
        <dd>${f.service.serverAddresses.join(', ')}</dd>
        <dt>${t('filings.attachments')}</dt>
        <dd>
          ${
            f.attachments.length === 0
              ? '—'
              : html`<ul>
                  ${f.attachments.map((a) => html`<li>${a.name} <code title=${a.sha256}>${short(a.sha256, 16)}</code></li>`)}
                </ul>`
          }
        </dd>
        <dt>${t('filings.revision')}</dt>
        <dd>${f.revision}</dd>
        ${
          f.reviewNote
            ? html`<dt>${t('filings.reviewNote')}</dt>
                <dd>${f.reviewNote}</dd>`
            : nothing
        }
      </dl>
      ${
        decisions.length > 0
          ? html`<form class="stack" @submit=${(e: SubmitEvent) => this.decide(e)}>
              <label for="decision-note">${t('filings.note')}</label>
              <textarea id="decision-note" name="note" maxlength="1000" rows="2"></textarea>
              <div class="row">
                ${decisions.map((d) => html`<button type="submit" name="action" value=${d.action} ?disabled=${this.busy}>${t(`filings.actions.${d.action}`)}</button>`)}
              </div>
            </form>`
          : nothing
      }
      ${mine && AMENDABLE.includes(f.status) ? html`<button type="button" @click=${() => (this.editing = 'amend')}>${t('filings.amend')}</button>` : nothing}
      <h4>${t('filings.history')}</h4>
      <ol class="timeline">
        ${(this.history ?? []).map(
          (h) =>
            html`<li>
              ${time(h.time, this.locale)} · ${h.status ? word('filingStatus', h.status) : '—'} ${h.by ? html`· ${t(`roles.${h.by.role}`)}` : nothing}
              ${h.note ? html`· ${h.note}` : nothing} · <code>${short(h.txId)}</code>
            </li>`,
        )}
      </ol>
    </article>`;
  }

  override render(): TemplateResult {
    const page = this.page;
    return html`<section aria-labelledby="filings-title">
      <div class="row between">
        <h2 id="filings-title">${this.me.role === 'regulator' ? t('filings.queueTitle') : t('filings.title')}</h2>
        ${may('submitFilings', this.me.role) ? html`<button type="button" @click=${() => (this.editing = 'new')}>${t('filings.new')}</button>` : nothing}
      </div>
      <form class="row filters" @submit=${(e: Event) => e.preventDefault()}>
        <label
          >${t('filings.status')}
          <select
            name="status"
            @change=${(e: Event) => {
              this.status = (e.target as HTMLSelectElement).value;
              void this.load();
            }}
          >
            <option value="">${t('common.all')}</option>
            ${options(FILING_STATUSES, (v) => word('filingStatus', v), this.status)}
          </select></label
        >
      </form>
      ${errorBox(this.error)} ${okBox(this.done)}
      <div class="split">
        <div>
          ${
            !page
              ? loading()
              : html`<table aria-label=${t('filings.title')}>
                  <thead>
                    <tr>
                      <th scope="col">${t('filings.service')}</th>
                      <th scope="col">${t('filings.applicant')}</th>
                      <th scope="col">${t('filings.status')}</th>
                      <th scope="col">${t('filings.updatedAt')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${
                      page.items.length === 0
                        ? html`<tr>
                            <td colspan="4" class="muted">${t('filings.none')}</td>
                          </tr>`
                        : page.items.map(
                            (f) =>
                              html`<tr class=${this.selected?.filingId === f.filingId ? 'selected' : ''}>
                                <td><a href="#/filings?filingId=${encodeURIComponent(f.filingId)}">${f.service.name}</a></td>
                                <td>${f.applicant.name}</td>
                                <td>${word('filingStatus', f.status)}</td>
                                <td>${time(f.updatedAt, this.locale)}</td>
                              </tr>`,
                          )
                    }
                  </tbody>
                </table>`
          }
        </div>
        <div>${this.editing ? this.editor() : this.selected ? this.detail(this.selected) : html`<p class="muted">${t('filings.pick')}</p>`}</div>
      </div>
    </section>`;
  }
}
