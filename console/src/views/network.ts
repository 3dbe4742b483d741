// The network: every peer's, orderer's and CA's health, the committed chaincode definition and its policy, and
// a block browser with each transaction's creator, endorsers and validation code (Fabric 3, through qscc).
import { html, nothing, type TemplateResult } from 'lit';
import { api } from '../api';
import { t } from '../i18n';
import { errorBox, problem, short, time, View } from './base';

interface Identity {
  mspId: string;
  subject: string;
}
interface Tx {
  index: number;
  transactionId: string;
  type: string;
  time: string;
  validationCode: string;
  creator?: Identity;
  chaincode?: string;
  endorsers: Identity[];
}
interface Block {
  number: string;
  hash: string;
  previousHash: string;
  dataHash: string;
  transactions: Tx[];
}
interface Definition {
  name: string;
  sequence: number;
  version: string;
  endorsementPolicy: string;
  validationPlugin: string;
  endorsementPlugin: string;
  initRequired: boolean;
  collections: string[];
  approvals: Record<string, boolean>;
}
interface Node {
  name: string;
  kind: string;
  mspId?: string;
  status: 'ok' | 'failing' | 'unreachable';
  detail: string;
}

export class RcNetwork extends View {
  static override properties = {
    ...View.properties,
    nodes: { state: true },
    definition: { state: true },
    blocks: { state: true },
    height: { state: true },
    next: { state: true },
    error: { state: true },
  };
  declare nodes: Node[] | undefined;
  declare definition: Definition | undefined;
  declare blocks: Block[];
  declare height: string;
  declare next: string | undefined;
  declare error: string | undefined;

  constructor() {
    super();
    this.blocks = [];
    this.height = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.error = undefined;
    try {
      const [nodes, definition, page] = await Promise.all([
        api<{ nodes: Node[] }>('GET', '/v1/network/nodes'),
        api<Definition>('GET', '/v1/network/chaincode'),
        api<{ height: string; blocks: Block[]; next?: string }>('GET', '/v1/network/blocks', { query: { limit: 10 } }),
      ]);
      this.nodes = nodes.nodes;
      this.definition = definition;
      this.blocks = page.blocks;
      this.height = page.height;
      this.next = page.next;
    } catch (err) {
      this.error = problem(err);
    }
  }

  private async older(): Promise<void> {
    try {
      const page = await api<{ blocks: Block[]; next?: string }>('GET', '/v1/network/blocks', { query: { limit: 10, before: this.next } });
      this.blocks = [...this.blocks, ...page.blocks];
      this.next = page.next;
    } catch (err) {
      this.error = problem(err);
    }
  }

  private blockView(b: Block): TemplateResult {
    return html`<details class="block" data-testid="block">
      <summary>
        <strong>#${b.number}</strong> · ${t('network.txCount', { count: b.transactions.length })} ·
        ${b.transactions[0] ? time(b.transactions[0].time, this.locale) : ''} · <code title=${b.hash}>${short(b.hash, 16)}</code>
      </summary>
      <p class="muted">${t('network.previous')} <code>${short(b.previousHash, 16)}</code> · ${t('network.dataHash')} <code>${short(b.dataHash, 16)}</code></p>
      <table>
        <thead>
          <tr>
            <th scope="col">${t('network.tx')}</th>
            <th scope="col">${t('network.type')}</th>
            <th scope="col">${t('network.creator')}</th>
            <th scope="col">${t('network.endorsers')}</th>
            <th scope="col">${t('network.validation')}</th>
          </tr>
        </thead>
        <tbody>
          ${b.transactions.map(
            (x) =>
              html`<tr class=${x.validationCode === 'VALID' ? '' : 'flag'}>
                <td>
                  ${
                    x.type === 'ENDORSER_TRANSACTION' && x.validationCode === 'VALID'
                      ? html`<a href="#/audit?transactionId=${x.transactionId}" title=${x.transactionId}>${short(x.transactionId)}</a>`
                      : html`<code title=${x.transactionId}>${short(x.transactionId || '—')}</code>`
                  }
                </td>
                <td>${x.type}${x.chaincode ? ` · ${x.chaincode}` : ''}</td>
                <td>${x.creator ? `${x.creator.mspId} · ${x.creator.subject}` : '—'}</td>
                <td>${x.endorsers.map((e) => `${e.mspId} · ${e.subject}`).join(', ') || '—'}</td>
                <td>${x.validationCode}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </details>`;
  }

  override render(): TemplateResult {
    const d = this.definition;
    return html`<section aria-labelledby="network-title">
      <div class="row between">
        <h2 id="network-title">${t('network.title')}</h2>
        <button type="button" class="secondary" @click=${() => void this.load()}>${t('common.refresh')}</button>
      </div>
      ${errorBox(this.error)}
      <h3>${t('network.nodes')}</h3>
      ${this.nodes && this.nodes.length === 0 ? html`<p class="muted">${t('network.noNodes')}</p>` : nothing}
      <ul class="nodes" data-testid="nodes">
        ${(this.nodes ?? []).map(
          (n) =>
            html`<li class="node node-${n.status}">
              <span class="dot" aria-hidden="true"></span>
              <strong>${n.name}</strong> <span class="muted">${n.kind}${n.mspId ? ` · ${n.mspId}` : ''}</span>
              <span>${t(`network.health.${n.status}`)}</span>${n.status === 'ok' ? nothing : html` <span class="muted">${n.detail}</span>`}
            </li>`,
        )}
      </ul>
      ${
        d
          ? html`<h3>${t('network.chaincode')}</h3>
              <dl data-testid="definition">
                <dt>${t('network.name')}</dt>
                <dd>${d.name} ${d.version}</dd>
                <dt>${t('audit.sequence')}</dt>
                <dd>${d.sequence}</dd>
                <dt>${t('network.policy')}</dt>
                <dd><code>${d.endorsementPolicy}</code></dd>
                <dt>${t('network.plugins')}</dt>
                <dd>${d.endorsementPlugin} / ${d.validationPlugin}</dd>
                <dt>${t('network.collections')}</dt>
                <dd>${d.collections.join(', ') || '—'}</dd>
                <dt>${t('network.approvals')}</dt>
                <dd>
                  ${Object.entries(d.approvals)
                    .map(([org, ok]) => `${org} ${ok ? '✓' : '✗'}`)
                    .join(' · ')}
                </dd>
              </dl>`
          : nothing
      }
      <h3>${t('network.blocks', { height: this.height })}</h3>
      ${this.blocks.map((b) => this.blockView(b))}
      ${this.next ? html`<button type="button" class="secondary" @click=${() => void this.older()}>${t('network.older')}</button>` : nothing}
    </section>`;
  }
}
