// Credit: an entity reads its own file, the score's arithmetic and objects to an entry; the regulator records
// sanctions, publishes the scoring model, decides objections and watches the grade distribution; auditors read
// the queue and the distribution. The lookup anyone may use is in ./credit-lookup.
import { html, nothing, type TemplateResult } from 'lit';
import type { Static } from '@sinclair/typebox';
import { CREDIT_ENTRY_KINDS, type CreditFileRecord, type CreditModelRecord, type CreditStatisticsRecord, GRADES, type ObjectionRecord } from '@regchain/common';
import { api } from '../api';
import { may } from '../screens';
import { t, word } from '../i18n';
import { errorBox, formValues, okBox, options, problem, time, View } from './base';
import { gradeBadge } from './credit-lookup';
type CreditFile = Static<typeof CreditFileRecord>;
type Objection = Static<typeof ObjectionRecord>;
type ModelVersion = Static<typeof CreditModelRecord>;
type Distribution = Static<typeof CreditStatisticsRecord>;

/** The credit screen of a signed-in role. */
export class RcCredit extends View {
  static override properties = {
    ...View.properties,
    file: { state: true },
    objections: { state: true },
    distribution: { state: true },
    model: { state: true },
    objecting: { state: true },
    error: { state: true },
    done: { state: true },
  };
  declare file: CreditFile | undefined;
  declare objections: Objection[] | undefined;
  declare distribution: Distribution | undefined;
  declare model: ModelVersion | undefined;
  declare objecting: string | undefined;
  declare error: string | undefined;
  declare done: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private get member(): boolean {
    return this.me.role === 'enterprise' || this.me.role === 'bank';
  }

  private async load(): Promise<void> {
    try {
      if (this.member) this.file = await api<CreditFile>('GET', `/v1/credit/entities/${this.me.entityId}/file`);
      if (may('reviewObjections', this.me.role)) {
        this.objections = await api<Objection[]>('GET', '/v1/credit/objections');
        this.distribution = await api<Distribution>('GET', '/v1/credit/statistics', { query: { points: 6 } });
      }
      if (may('publishCreditModel', this.me.role)) this.model = await api<ModelVersion>('GET', '/v1/credit/model');
    } catch (err) {
      this.error = problem(err);
    }
  }

  private async attempt(work: () => Promise<string>): Promise<void> {
    this.error = undefined;
    this.done = undefined;
    try {
      this.done = await work();
      await this.load();
    } catch (err) {
      this.error = problem(err);
    }
  }

  private recordSanction(e: Event): void {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const v = formValues(form);
    const fen = Math.round(Number(v.amount) * 100);
    void this.attempt(async () => {
      if (!Number.isFinite(fen) || fen < 0) throw new Error(t('transfers.badAmount'));
      await api('POST', '/v1/credit/sanctions', {
        body: {
          entityId: (v.entityId ?? '').toUpperCase(),
          legalBasis: v.legalBasis,
          decisionNumber: v.decisionNumber,
          amount: fen,
          publicationDays: Number(v.publicationDays),
          summary: v.summary,
        },
      });
      form.reset();
      return t('credit.sanctionRecorded', { number: v.decisionNumber });
    });
  }

  private publishModel(e: Event): void {
    e.preventDefault();
    const text = formValues(e.target as HTMLFormElement).model ?? '';
    void this.attempt(async () => {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(t('credit.badModel'));
      }
      const published = await api<{ result: ModelVersion }>('POST', '/v1/credit/model', { body });
      return t('credit.modelPublished', { version: published.result.version });
    });
  }

  private object(e: Event, entryId: string): void {
    e.preventDefault();
    const note = formValues(e.target as HTMLFormElement).note;
    void this.attempt(async () => {
      await api('POST', '/v1/credit/objections', { body: { entryId, note } });
      this.objecting = undefined;
      return t('credit.objectionRaised');
    });
  }

  private decide(e: Event, o: Objection): void {
    e.preventDefault();
    const v = formValues(e.target as HTMLFormElement);
    const correct = v.outcome !== 'uphold';
    void this.attempt(async () => {
      await api('POST', `/v1/credit/objections/${o.entityId}/${o.entry.entryId}/decision`, {
        body: { decision: correct ? 'correct' : 'uphold', ...(correct ? { correctedKind: v.outcome } : {}), note: v.note },
      });
      return t('credit.objectionDecided');
    });
  }

  private fileView(f: CreditFile): TemplateResult {
    const points = new Map(f.grade.contributions.map((c) => [c.entryId, c]));
    return html`<section class="card" aria-labelledby="credit-file-title" data-testid="credit-file">
      <h2 id="credit-file-title">${t('credit.fileTitle')}</h2>
      <p>
        ${t('credit.score')}: <strong data-testid="score">${f.grade.score}</strong> · ${t('credit.grade')}: ${gradeBadge(f.grade.grade)}
        ${word('grade', f.grade.grade)} · ${t('credit.version', { version: f.grade.modelVersion })}
      </p>
      ${
        f.entries.length === 0
          ? html`<p class="muted">${t('credit.emptyFile')}</p>`
          : html`<table aria-label=${t('credit.breakdown')}>
              <caption>
                ${t('credit.breakdown')}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t('credit.at')}</th>
                  <th scope="col">${t('credit.kind')}</th>
                  <th scope="col">${t('credit.summary')}</th>
                  <th scope="col">${t('credit.points')}</th>
                  <th scope="col">${t('credit.reason')}</th>
                  <th scope="col">${t('credit.objection')}</th>
                </tr>
              </thead>
              <tbody>
                ${f.entries.map((e) => {
                  const c = points.get(e.entryId);
                  return html`<tr data-entry=${e.entryId}>
                    <td>${time(e.at, this.locale)}</td>
                    <td>${word('creditKind', e.kind)}</td>
                    <td>${e.summary}</td>
                    <td class="num">${c ? (c.points > 0 ? `+${c.points}` : String(c.points)) : ''}</td>
                    <td>${c ? t(`credit.causes.${c.cause}`) : ''}</td>
                    <td>
                      ${
                        e.objection
                          ? html`${word('objectionStatus', e.objection.status)}${e.objection.decision ? html` — ${e.objection.decision.note}` : nothing}`
                          : this.objecting === e.entryId
                            ? html`<form @submit=${(ev: Event) => this.object(ev, e.entryId)}>
                                <label>${t('credit.objectionNote')}<input name="note" required maxlength="1000" /></label>
                                <button type="submit">${t('credit.objectIt')}</button>
                              </form>`
                            : html`<button type="button" class="link" @click=${() => (this.objecting = e.entryId)}>${t('credit.object')}</button>`
                      }
                    </td>
                  </tr>`;
                })}
              </tbody>
            </table>`
      }
    </section>`;
  }

  private sanctionForm(): TemplateResult {
    return html`<section class="card" aria-labelledby="sanction-title">
      <h2 id="sanction-title">${t('credit.recordSanction')}</h2>
      <form class="grid" @submit=${(e: Event) => this.recordSanction(e)}>
        <label>${t('credit.entity')}<input name="entityId" required pattern="[0-9A-Za-z]{18}" maxlength="18" /></label>
        <label>${t('credit.decisionNumber')}<input name="decisionNumber" required maxlength="64" /></label>
        <label>${t('credit.legalBasis')}<input name="legalBasis" required maxlength="300" /></label>
        <label>${t('credit.fineYuan')}<input name="amount" required inputmode="decimal" value="0" /></label>
        <label>${t('credit.publicationDays')}<input name="publicationDays" type="number" min="1" max="1095" required value="365" /></label>
        <label>${t('credit.summary')}<input name="summary" required maxlength="1000" /></label>
        <button type="submit">${t('credit.record')}</button>
      </form>
    </section>`;
  }

  private modelForm(m: ModelVersion): TemplateResult {
    return html`<section class="card" aria-labelledby="model-title">
      <h2 id="model-title">${t('credit.publishModel')}</h2>
      <p class="muted">${t('credit.modelInForce', { version: m.version, at: time(m.publishedAt, this.locale) })}</p>
      <form @submit=${(e: Event) => this.publishModel(e)}>
        <label for="credit-model">${t('credit.modelJson')}</label>
        <textarea id="credit-model" name="model" rows="14" spellcheck="false" class="mono wide">${JSON.stringify(m.model, null, 2)}</textarea>
        <button type="submit">${t('credit.publish')}</button>
      </form>
    </section>`;
  }

  private objectionQueue(list: Objection[]): TemplateResult {
    const decides = may('decideObjections', this.me.role);
    return html`<section class="card" aria-labelledby="objections-title" data-testid="objections">
      <h2 id="objections-title">${t('credit.objections')}</h2>
      ${
        list.length === 0
          ? html`<p class="muted">${t('credit.noObjections')}</p>`
          : list.map(
              (o) =>
                html`<article class="objection" data-entry=${o.entry.entryId}>
                  <p><strong>${o.entityId}</strong> · ${word('creditKind', o.entry.kind)} · ${o.entry.summary}</p>
                  <p>${t('credit.objectionNote')}: ${o.entry.objection?.note}</p>
                  ${
                    decides
                      ? html`<form class="grid" @submit=${(e: Event) => this.decide(e, o)}>
                          <label
                            >${t('credit.outcome')}<select name="outcome">
                              <option value="uphold">${t('credit.uphold')}</option>
                              ${options(['void', ...CREDIT_ENTRY_KINDS.filter((k) => k !== o.entry.kind)], (k) =>
                                t('credit.correctTo', { kind: k === 'void' ? t('credit.void') : word('creditKind', k) }),
                              )}
                            </select></label
                          >
                          <label>${t('credit.decisionNote')}<input name="note" required maxlength="1000" /></label>
                          <button type="submit">${t('credit.decide')}</button>
                        </form>`
                      : nothing
                  }
                </article>`,
            )
      }
    </section>`;
  }

  private distributionView(d: Distribution): TemplateResult {
    return html`<section class="card" aria-labelledby="distribution-title">
      <h2 id="distribution-title">${t('credit.distribution')}</h2>
      <p class="muted">${t('credit.entities', { count: d.entities })}</p>
      <table aria-label=${t('credit.distribution')} data-testid="grade-distribution">
        <thead>
          <tr>
            <th scope="col">${t('credit.at')}</th>
            ${GRADES.map((g) => html`<th scope="col" class="num">${g}</th>`)}
            <th scope="col">${t('credit.model')}</th>
          </tr>
        </thead>
        <tbody>
          ${d.series.map(
            (s) =>
              html`<tr>
                <td>${time(s.at, this.locale)}</td>
                ${GRADES.map((g) => html`<td class="num">${s.grades[g]}</td>`)}
                <td>${s.modelVersion}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </section>`;
  }

  override render(): TemplateResult {
    return html`<h2 class="visually-hidden">${t('nav.credit')}</h2>
      ${errorBox(this.error)} ${okBox(this.done)} ${this.file ? this.fileView(this.file) : nothing}
      ${may('recordSanctions', this.me.role) ? this.sanctionForm() : nothing} ${this.objections ? this.objectionQueue(this.objections) : nothing}
      ${this.distribution ? this.distributionView(this.distribution) : nothing} ${this.model ? this.modelForm(this.model) : nothing}`;
  }
}
