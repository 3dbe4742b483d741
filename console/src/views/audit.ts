// The auditor's screen: a transaction's endorsements verified from the ledger, its evidence bundle to download,
// and a bundle someone holds verified by dropping it here (the command line's checks, with the anchors used).
import { html, nothing, type TemplateResult } from 'lit';
import { api, download } from '../api';
import { t } from '../i18n';
import { errorBox, problem, short, View } from './base';

interface Signer {
  mspId: string;
  subject: string;
  signatureValid: boolean;
  lowS: boolean;
  chainsToOrgRoot: boolean;
  validAtTime: boolean;
}
export interface Report {
  transactionId: string;
  channel: string;
  blockNumber: string;
  validationCode: string;
  creator?: Signer;
  endorsements: Signer[];
  policy: { rule: string; satisfied: boolean; sequence: number; definedIn: string };
  attestations?: { mspId: string; subject: string; validationCode: string; ok: boolean }[];
  checks: { check: string; ok: boolean; detail: string }[];
  verified: boolean;
  problems: string[];
  trustAnchors?: { source: string; genesisHash?: string; roots?: Record<string, string[]> };
}

const TX = /^[0-9a-f]{64}$/;

export class RcAudit extends View {
  static override properties = {
    ...View.properties,
    transactionId: { attribute: false },
    report: { state: true },
    dropped: { state: true },
    error: { state: true },
    busy: { state: true },
    over: { state: true },
  };
  declare transactionId: string;
  declare report: Report | undefined;
  declare dropped: { name: string; report: Report } | undefined;
  declare error: string | undefined;
  declare busy: boolean;
  declare over: boolean;

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('transactionId') && TX.test(this.transactionId ?? '')) void this.verify(this.transactionId);
  }

  private async verify(txId: string): Promise<void> {
    this.busy = true;
    this.error = undefined;
    this.report = undefined;
    try {
      this.report = await api<Report>('GET', `/v1/audit/transactions/${txId}`);
    } catch (err) {
      this.error = problem(err);
    } finally {
      this.busy = false;
    }
  }

  private async verifyFile(file: File | undefined): Promise<void> {
    if (!file) return;
    this.error = undefined;
    this.dropped = undefined;
    let bundle: unknown;
    try {
      bundle = JSON.parse(await file.text());
    } catch {
      this.error = t('audit.notJson', { name: file.name });
      return;
    }
    try {
      this.dropped = { name: file.name, report: await api<Report>('POST', '/v1/audit/verifications', { body: bundle }) };
    } catch (err) {
      this.error = problem(err);
    }
  }

  private signer(s: Signer | undefined, role: string): TemplateResult {
    if (!s)
      return html`<tr>
        <th scope="row">${role}</th>
        <td colspan="5">—</td>
      </tr>`;
    const mark = (ok: boolean): TemplateResult =>
      html`<span class=${ok ? 'pass' : 'fail'}>${ok ? '✓' : '✗'}<span class="visually-hidden">${ok ? t('audit.pass') : t('audit.fail')}</span></span>`;
    return html`<tr>
      <th scope="row">${role}</th>
      <td>${s.mspId} · ${s.subject}</td>
      <td>${mark(s.signatureValid)}</td>
      <td>${mark(s.lowS)}</td>
      <td>${mark(s.chainsToOrgRoot)}</td>
      <td>${mark(s.validAtTime)}</td>
    </tr>`;
  }

  private reportView(r: Report, testId: string): TemplateResult {
    return html`<article class="card" data-testid=${testId} data-verified=${String(r.verified)}>
      <p class=${r.verified ? 'ok' : 'error'} role="status"><strong>${r.verified ? t('audit.verified') : t('audit.notVerified')}</strong></p>
      <dl>
        <dt>${t('audit.transaction')}</dt>
        <dd><code>${r.transactionId}</code></dd>
        <dt>${t('audit.block')}</dt>
        <dd>${r.blockNumber} · ${r.channel}</dd>
        <dt>${t('audit.validation')}</dt>
        <dd>${r.validationCode}</dd>
        <dt>${t('audit.policy')}</dt>
        <dd>${r.policy.rule} · ${r.policy.satisfied ? t('audit.satisfied') : t('audit.notSatisfied')} (${t('audit.sequence')} ${r.policy.sequence})</dd>
      </dl>
      <table>
        <caption>
          ${t('audit.signers')}
        </caption>
        <thead>
          <tr>
            <th scope="col"></th>
            <th scope="col">${t('audit.identity')}</th>
            <th scope="col">${t('audit.signature')}</th>
            <th scope="col">${t('audit.lowS')}</th>
            <th scope="col">${t('audit.chains')}</th>
            <th scope="col">${t('audit.validAt')}</th>
          </tr>
        </thead>
        <tbody>
          ${this.signer(r.creator, t('audit.creator'))} ${r.endorsements.map((e) => this.signer(e, t('audit.endorser')))}
        </tbody>
      </table>
      <details ?open=${!r.verified}>
        <summary>${t('audit.checksSummary', { passed: r.checks.filter((c) => c.ok).length, total: r.checks.length })}</summary>
        <table>
          <caption>
            ${t('audit.checks')}
          </caption>
          <tbody>
            ${[...r.checks.filter((c) => !c.ok), ...r.checks.filter((c) => c.ok)].map(
              (c) =>
                html`<tr class=${c.ok ? '' : 'flag'}>
                  <td><span class=${c.ok ? 'pass' : 'fail'}>${c.ok ? '✓' : '✗'}</span></td>
                  <th scope="row">${c.check}</th>
                  <td>${c.detail}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </details>
      ${
        r.problems.length > 0
          ? html`<h4>${t('audit.problems')}</h4>
              <ul class="error">
                ${r.problems.map((p) => html`<li>${p}</li>`)}
              </ul>`
          : nothing
      }
      ${
        r.trustAnchors
          ? html`<h4>${t('audit.anchors')}</h4>
              <dl data-testid="anchors">
                <dt>${t('audit.anchorSource')}</dt>
                <dd>${r.trustAnchors.source}</dd>
                ${
                  r.trustAnchors.genesisHash
                    ? html`<dt>${t('audit.genesisHash')}</dt>
                        <dd><code>${r.trustAnchors.genesisHash}</code></dd>`
                    : nothing
                }
                ${Object.entries(r.trustAnchors.roots ?? {}).map(
                  ([msp, fps]) =>
                    html`<dt>${msp}</dt>
                      <dd>${fps.map((f) => html`<code title=${f}>${short(f, 24)}</code> `)}</dd>`,
                )}
              </dl>`
          : nothing
      }
    </article>`;
  }

  override render(): TemplateResult {
    return html`<section aria-labelledby="audit-title">
      <h2 id="audit-title">${t('audit.title')}</h2>
      <form
        class="row filters"
        @submit=${(e: Event) => {
          e.preventDefault();
          const id = ((e.target as HTMLFormElement).elements.namedItem('transactionId') as HTMLInputElement).value.trim();
          location.hash = `#/audit?transactionId=${id}`;
          if (id === this.transactionId) void this.verify(id);
        }}
      >
        <label>${t('audit.transaction')}<input name="transactionId" required pattern="[0-9a-f]{64}" size="66" .value=${this.transactionId ?? ''} /></label>
        <button type="submit" ?disabled=${this.busy}>${t('audit.verify')}</button>
        ${
          this.report
            ? html`<button
                type="button"
                class="secondary"
                @click=${() => void download(`/v1/audit/transactions/${this.report?.transactionId}/evidence`, 'evidence.json').catch((err: unknown) => (this.error = problem(err)))}
              >
                ${t('audit.download')}
              </button>`
            : nothing
        }
      </form>
      ${errorBox(this.error)} ${this.busy ? html`<p role="status">${t('common.loading')}</p>` : nothing}
      ${this.report ? this.reportView(this.report, 'audit-report') : nothing}
      <h3>${t('audit.dropTitle')}</h3>
      <label
        class="drop ${this.over ? 'over' : ''}"
        @dragover=${(e: DragEvent) => (e.preventDefault(), (this.over = true))}
        @dragleave=${() => (this.over = false)}
        @drop=${(e: DragEvent) => {
          e.preventDefault();
          this.over = false;
          void this.verifyFile(e.dataTransfer?.files[0]);
        }}
      >
        <span>${t('audit.drop')}</span>
        <input
          type="file"
          accept=".json,application/json"
          name="bundle"
          @change=${(e: Event) => void this.verifyFile((e.target as HTMLInputElement).files?.[0])}
        />
      </label>
      <p class="muted">${t('audit.dropExplain')}</p>
      ${
        this.dropped
          ? html`<p>${t('audit.droppedFile', { name: this.dropped.name })}</p>
              ${this.reportView(this.dropped.report, 'bundle-report')}`
          : nothing
      }
    </section>`;
  }
}
