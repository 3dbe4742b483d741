// The console's entry: translations first, then the elements; screens that draw load their libraries later.
import './styles.css';
import { initI18n } from './i18n';
import { RcAlerts } from './views/alerts';
import { RcApp, RcSignin } from './views/app';
import { RcAudit } from './views/audit';
import { RcCredit } from './views/credit';
import { RcCreditLookup } from './views/credit-lookup';
import { RcFilings } from './views/filings';
import { RcTrace } from './views/trace';
import { RcLookup } from './views/lookup';
import { RcEvents } from './views/events';
import { RcNetwork } from './views/network';
import { RcRules } from './views/rules';
import { RcStatistics } from './views/statistics';
import { RcTransfers } from './views/transfers';

const ELEMENTS: [string, CustomElementConstructor][] = [
  ['rc-signin', RcSignin],
  ['rc-lookup', RcLookup],
  ['rc-events', RcEvents],
  ['rc-alerts', RcAlerts],
  ['rc-filings', RcFilings],
  ['rc-rules', RcRules],
  ['rc-statistics', RcStatistics],
  ['rc-trace', RcTrace],
  ['rc-transfers', RcTransfers],
  ['rc-audit', RcAudit],
  ['rc-network', RcNetwork],
  ['rc-credit', RcCredit],
  ['rc-credit-lookup', RcCreditLookup],
  ['rc-app', RcApp],
];

await initI18n();
for (const [name, element] of ELEMENTS) customElements.define(name, element);
