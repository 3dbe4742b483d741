// The enumerations of the domain: filing lifecycle and classifications, rule actions and severities, watchlists, projects, alerts.

export const FILING_STATUSES = ['submitted', 'under_review', 'approved', 'returned', 'rejected', 'amended', 'deregistered'] as const;
export type FilingStatus = (typeof FILING_STATUSES)[number];

export const APPLICANT_TYPES = ['enterprise', 'institution', 'social_organization', 'individual_business'] as const;
export const SERVICE_CATEGORIES = ['platform', 'application', 'infrastructure'] as const;
export const SERVICE_FORMS = ['website', 'app', 'mini_program', 'api', 'client', 'other'] as const;
export const APPLICATION_FIELDS = [
  'finance',
  'government',
  'supply_chain',
  'judicial',
  'healthcare',
  'traceability',
  'copyright',
  'public_welfare',
  'other',
] as const;

export const RULE_ACTIONS = ['BLOCK', 'ALERT'] as const;
export type RuleAction = (typeof RULE_ACTIONS)[number];
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const WATCH_KINDS = ['entity', 'account'] as const;
export type WatchKind = (typeof WATCH_KINDS)[number];

export const PROJECT_TYPES = ['public_fund', 'donation', 'supply_chain_finance'] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];

export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved', 'false_positive'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** The fund-flow patterns the monitor detects (see monitor/src/typologies); a pattern alert names one. */
export const TYPOLOGIES = [
  'fan-out',
  'fan-in',
  'cycle',
  'scatter-gather',
  'gather-scatter',
  'bipartite',
  'stacked-layering',
  'structuring',
  'smurfing',
  'rapid-pass-through',
  'dormant-activation',
] as const;
export type Typology = (typeof TYPOLOGIES)[number];
