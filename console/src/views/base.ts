// What every screen shares: light DOM (one stylesheet, plain labels for assistive technology and tests), a
// re-render when the language changes, and errors shown as the gateway words them.
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { ApiFailure, type Me } from '../api';
import { language, t } from '../i18n';

export abstract class View extends LitElement {
  static override properties = { me: { attribute: false } };
  declare me: Me;
  #onLanguage = (): void => this.requestUpdate();

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('rc-language', this.#onLanguage);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('rc-language', this.#onLanguage);
  }

  get locale(): string {
    return language();
  }
}

/** The message to show for a failed call: the gateway's own code and sentence. */
export function problem(err: unknown): string {
  if (err instanceof ApiFailure) return `${err.code}: ${err.message}`;
  return (err as Error)?.message ?? String(err);
}

export const errorBox = (message: string | undefined): TemplateResult | typeof nothing =>
  message ? html`<p class="error" role="alert">${message}</p>` : nothing;

export const okBox = (message: string | undefined): TemplateResult | typeof nothing => (message ? html`<p class="ok" role="status">${message}</p>` : nothing);

export const time = (iso: string | number | undefined, locale: string): string => {
  if (iso === undefined || iso === '') return '';
  const d = typeof iso === 'number' ? new Date(iso * 1000) : new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(locale, { hour12: false });
};

export const short = (id: string, n = 12): string => (id.length > n ? `${id.slice(0, n)}…` : id);

/** A labelled select of vocabulary words. */
export function options(values: readonly string[], label: (v: string) => string, selected?: string): TemplateResult[] {
  return values.map((v) => html`<option value=${v} ?selected=${v === selected}>${label(v)}</option>`);
}

export const loading = (): TemplateResult => html`<p class="muted" role="status">${t('common.loading')}</p>`;

/** Form values by field name. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((v, k) => {
    if (typeof v === 'string') out[k] = v.trim();
  });
  return out;
}
