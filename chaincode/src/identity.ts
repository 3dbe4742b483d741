// Who is calling, from the certificate alone: MSP id plus the role and entity id the org's CA issued.
import { isRole, type Role, ROLE_MSP } from '@regchain/common';
import type { Context } from 'fabric-contract-api';
import { ChaincodeError } from './errors';

export { ROLES, type Role } from '@regchain/common';

export interface Caller {
  readonly mspId: string;
  readonly role: Role;
  /** Unified social credit code of the entity the caller acts for. */
  readonly entityId: string;
  /** The certificate's subject and issuer, as Fabric reports them. */
  readonly id: string;
}

/** The parts of Fabric's ClientIdentity this module needs (a test stub provides the same). */
export interface IdentitySource {
  getMSPID(): string;
  getID(): string;
  getAttributeValue(name: string): string | null;
}

export function callerFrom(identity: IdentitySource): Caller {
  const mspId = identity.getMSPID();
  const role = identity.getAttributeValue('role');
  const entityId = identity.getAttributeValue('entityId');
  if (!role || !isRole(role)) {
    throw new ChaincodeError('IDENTITY_INVALID', `the certificate of ${mspId} carries no regchain role attribute`);
  }
  if (ROLE_MSP[role] !== mspId) {
    throw new ChaincodeError('IDENTITY_INVALID', `role ${role} cannot be held by a member of ${mspId}`);
  }
  if (!entityId) throw new ChaincodeError('IDENTITY_INVALID', `the certificate of ${role} at ${mspId} carries no entityId attribute`);
  return { mspId, role, entityId, id: identity.getID() };
}

export const caller = (ctx: Context): Caller => callerFrom(ctx.clientIdentity);

/** Refuses the call unless the caller holds one of the roles; the error names who was refused what. */
export function requireRole(who: Caller, roles: readonly Role[], action: string): void {
  if (!roles.includes(who.role)) {
    throw new ChaincodeError('ACCESS_DENIED', `${who.role} ${who.entityId} (${who.mspId}) may not ${action}`, {
      role: who.role,
      action,
    });
  }
}

/** Refuses an enterprise acting for another entity's data. */
export function requireOwnEntity(who: Caller, entityId: string, action: string): void {
  if (who.role === 'enterprise' && who.entityId !== entityId) {
    throw new ChaincodeError('ACCESS_DENIED', `enterprise ${who.entityId} may not ${action} of entity ${entityId}`, {
      role: who.role,
      action,
    });
  }
}
