// The four roles a regchain certificate can carry, and the one org each may come from.

export const ROLES = ['regulator', 'enterprise', 'bank', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Each role may only be held by members of its own org: a CA cannot mint regulators elsewhere. */
export const ROLE_MSP: Readonly<Record<Role, string>> = {
  regulator: 'RegulatorMSP',
  enterprise: 'EnterpriseMSP',
  bank: 'BankMSP',
  auditor: 'AuditorMSP',
};
