// The console's shell: sign-in, the navigation a role is allowed, the language switch, and the screen in view.
// Screens are addressed by the hash (#/alerts?alertId=...), which never carries the key.
import { html, LitElement, nothing, type TemplateResult } from 'lit';
import { api, ApiFailure, forgetKey, type Me, storedKey, storeKey } from '../api';
import { language, type Language, LANGUAGES, setLanguage, t } from '../i18n';
import { homeOf, SCREENS, screensFor } from '../screens';
import { errorBox, problem, View } from './base';

export interface Route {
  readonly screen: string;
  readonly params: URLSearchParams;
}

/** Screens anyone may open without a key. */
const PUBLIC_SCREENS = ['lookup', 'creditLookup'];

export function parseRoute(hash: string): Route {
  const [screen = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  return { screen, params: new URLSearchParams(query) };
}

export class RcApp extends LitElement {
  static override properties = { me: { state: true }, route: { state: true }, checking: { state: true }, error: { state: true } };
  declare me: Me | undefined;
  declare route: Route;
  declare checking: boolean;
  declare error: string | undefined;

  constructor() {
    super();
    this.route = parseRoute(location.hash);
    this.checking = storedKey() !== null;
  }

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', () => (this.route = parseRoute(location.hash)));
    window.addEventListener('rc-language', () => this.requestUpdate());
    window.addEventListener('rc-unauthenticated', () => {
      if (!this.me) return;
      this.signOut();
      this.error = t('signin.expired');
    });
    if (storedKey()) void this.signIn(storedKey() as string, false);
  }

  async signIn(key: string, remember: boolean): Promise<void> {
    this.checking = true;
    this.error = undefined;
    try {
      const me = await api<Me>('GET', '/v1/me', { key });
      if (remember) storeKey(key);
      this.me = me;
      const allowed = screensFor(me.role).map((s) => s.id);
      if (!allowed.includes(this.route.screen)) location.hash = `#/${homeOf(me.role)}`;
    } catch (err) {
      forgetKey();
      this.error = err instanceof ApiFailure && err.status === 401 ? t('signin.invalid') : problem(err);
    } finally {
      this.checking = false;
    }
  }

  signOut(): void {
    forgetKey();
    this.me = undefined;
    this.error = undefined;
    location.hash = '#/';
  }

  /** Each screen titles the page, so a screen reader and the browser's history name where one is. */
  override updated(): void {
    const known = SCREENS.some((s) => s.id === this.route.screen);
    const screen = known && (this.me || PUBLIC_SCREENS.includes(this.route.screen)) ? t(`nav.${this.route.screen}`) : t('signin.title');
    document.title = `${screen} · ${t('app.title')}`;
  }

  private screen(me: Me): TemplateResult {
    const p = this.route.params;
    switch (this.route.screen) {
      case 'events':
        return html`<rc-events .me=${me}></rc-events>`;
      case 'alerts':
        return html`<rc-alerts .me=${me} .alertId=${p.get('alertId') ?? ''}></rc-alerts>`;
      case 'filings':
        return html`<rc-filings .me=${me} .filingId=${p.get('filingId') ?? ''}></rc-filings>`;
      case 'rules':
        return html`<rc-rules .me=${me}></rc-rules>`;
      case 'statistics':
        return html`<rc-statistics .me=${me}></rc-statistics>`;
      case 'trace':
        return html`<rc-trace .me=${me} .params=${p}></rc-trace>`;
      case 'transfers':
        return html`<rc-transfers .me=${me}></rc-transfers>`;
      case 'audit':
        return html`<rc-audit .me=${me} .transactionId=${p.get('transactionId') ?? ''}></rc-audit>`;
      case 'network':
        return html`<rc-network .me=${me}></rc-network>`;
      case 'credit':
        return html`<rc-credit .me=${me}></rc-credit>`;
      case 'creditLookup':
        return html`<rc-credit-lookup></rc-credit-lookup>`;
      default:
        return html`<rc-lookup></rc-lookup>`;
    }
  }

  private languageSwitch(): TemplateResult {
    const current = language();
    return html`<label class="lang"
      ><span class="visually-hidden">${t('app.language')}</span>
      <select aria-label=${t('app.language')} @change=${(e: Event) => void setLanguage((e.target as HTMLSelectElement).value as Language)}>
        ${LANGUAGES.map((l) => html`<option value=${l} ?selected=${l === current}>${t(`app.languages.${l}`)}</option>`)}
      </select></label
    >`;
  }

  override render(): TemplateResult {
    const me = this.me;
    const publicLookup = !me && PUBLIC_SCREENS.includes(this.route.screen);
    return html`
      <a class="skip" href="#main" @click=${(e: Event) => (e.preventDefault(), document.getElementById('main')?.focus())}>${t('app.skip')}</a>
      <header class="top">
        <h1>${t('app.title')}</h1>
        <div class="who">
          ${
            me
              ? html`<span class="badge" data-testid="who">${t(`roles.${me.role}`)} · ${me.id}</span>
                  <button type="button" class="link" @click=${() => this.signOut()}>${t('app.signOut')}</button>`
              : nothing
          }
          ${this.languageSwitch()}
        </div>
      </header>
      ${
        me
          ? html`<nav aria-label=${t('app.navigation')}>
              <ul>
                ${screensFor(me.role).map(
                  (s) =>
                    html`<li>
                      <a href="#/${s.id}" aria-current=${this.route.screen === s.id ? 'page' : 'false'}>${t(`nav.${s.id}`)}</a>
                    </li>`,
                )}
              </ul>
            </nav>`
          : nothing
      }
      <main id="main" tabindex="-1">
        ${
          me
            ? this.screen(me)
            : publicLookup
              ? html`${this.route.screen === 'creditLookup' ? html`<rc-credit-lookup></rc-credit-lookup>` : html`<rc-lookup></rc-lookup>`}
                  <p><a href="#/">${t('signin.back')}</a></p>`
              : this.checking
                ? html`<p role="status">${t('signin.checking')}</p>`
                : html`<rc-signin @sign-in=${(e: CustomEvent<string>) => void this.signIn(e.detail, true)}></rc-signin>${errorBox(this.error)}`
        }
      </main>
      <footer><a href="/docs" target="_blank" rel="noopener">${t('app.apiDocs')}</a></footer>
    `;
  }
}

/** The sign-in form: hands the key to the shell, never keeps it. */
export class RcSignin extends View {
  private submit(e: Event): void {
    e.preventDefault();
    const input = (e.target as HTMLFormElement).elements.namedItem('apiKey') as HTMLInputElement;
    const key = input.value.trim();
    input.value = '';
    if (key) this.dispatchEvent(new CustomEvent('sign-in', { detail: key, bubbles: true }));
  }

  override render(): TemplateResult {
    return html`<section class="card narrow" aria-labelledby="signin-title">
        <h2 id="signin-title">${t('signin.title')}</h2>
        <p class="muted">${t('signin.explain')}</p>
        <form @submit=${(e: Event) => this.submit(e)}>
          <label for="api-key">${t('signin.apiKey')}</label>
          <input id="api-key" name="apiKey" type="password" autocomplete="off" spellcheck="false" required />
          <button type="submit">${t('signin.submit')}</button>
        </form>
      </section>
      <section class="card narrow">
        <h2>${t('lookup.title')}</h2>
        <p>${t('signin.publicHint')} <a href="#/lookup">${t('signin.publicLink')}</a></p>
        <p>${t('signin.creditHint')} <a href="#/creditLookup">${t('signin.creditLink')}</a></p>
      </section>`;
  }
}
