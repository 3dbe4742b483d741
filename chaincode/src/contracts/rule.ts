// Compliance rules and watchlists: published by the regulator, versioned, deactivated but never deleted.
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { checkPublishable, type Rule } from '../domain/rules';
import { ChaincodeError } from '../errors';
import { requireRole, ROLES } from '../identity';
import { canonical } from '../json';
import { RuleIdInput, RuleListInput, RulePublishInput, WatchlistAddInput, WatchlistListInput, WatchlistRemoveInput } from '@regchain/common';
import { parseInput } from '../validation';
import { activeRuleKey, activeRules, ruleKey, versionKey, watchKey, type WatchlistEntry } from '../state/rules';
import { RegchainContext, RegchainContract } from './base';
import { publishTypologies, typologies } from './typology';

/** ALERT rules are seen by the regulator and auditors only. */
const visible = (ctx: RegchainContext, rule: Rule): boolean => rule.action === 'BLOCK' || ctx.caller.role === 'regulator' || ctx.caller.role === 'auditor';

@Info({ title: 'rule', description: 'Compliance rules over transfers (JSON Logic) and regulator watchlists' })
export class RuleContract extends RegchainContract {
  constructor() {
    super('rule');
  }

  /**
   * Writes a rule's version. Key-level policies are set when a key is created, never rewritten: Fabric
   * invalidates (ENDORSEMENT_POLICY_FAILURE) a transaction that writes a key whose policy an earlier one in its
   * block set, so rewriting it would turn two racing publishes into a policy failure instead of an MVCC conflict.
   */
  private async store(ctx: RegchainContext, rule: Rule, previous: Rule | undefined): Promise<void> {
    const l = ctx.ledger;
    await l.put(ruleKey(rule.ruleId), rule);
    await l.put(versionKey(rule.ruleId, rule.version), rule);
    if (rule.active) {
      await l.put(activeRuleKey(rule.ruleId), rule);
      // Transfers read this entry: only the regulator may change or remove it (deleted with the rule's deactivation).
      if (!previous?.active) await this.protect(ctx, activeRuleKey(rule.ruleId));
    } else {
      await l.del(activeRuleKey(rule.ruleId));
    }
    if (!previous) await this.protect(ctx, ruleKey(rule.ruleId));
  }

  /** Publishes a rule, or its next version; a deactivated rule comes back active. */
  @Transaction()
  @Returns('string')
  async publish(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator'], 'publish rules');
    const req = parseInput(RulePublishInput, input, 'rule');
    checkPublishable(req.logic);
    const previous = await ctx.ledger.get<Rule>(ruleKey(req.ruleId));
    const rule: Rule = {
      ruleId: req.ruleId,
      version: (previous?.version ?? 0) + 1,
      name: req.name,
      description: req.description,
      logic: req.logic,
      action: req.action,
      severity: req.severity,
      scope: req.scope ?? {},
      active: true,
      publishedAt: ctx.ledger.txTime(),
      publishedBy: ctx.actor,
      lastTxId: ctx.ledger.txId(),
    };
    await this.store(ctx, rule, previous);
    ctx.emit({ type: 'RulePublished', ruleId: rule.ruleId, version: rule.version, action: rule.action, severity: rule.severity });
    return canonical(rule);
  }

  @Transaction()
  @Returns('string')
  async deactivate(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator'], 'deactivate rules');
    const req = parseInput(RuleIdInput, input, 'rule deactivation');
    const current = await ctx.ledger.mustGet<Rule>(ruleKey(req.ruleId), 'RULE_NOT_FOUND', `rule ${req.ruleId}`);
    if (!current.active) throw new ChaincodeError('RULE_INACTIVE', `rule ${req.ruleId} is already inactive`);
    const rule: Rule = {
      ...current,
      version: current.version + 1,
      active: false,
      publishedAt: ctx.ledger.txTime(),
      publishedBy: ctx.actor,
      lastTxId: ctx.ledger.txId(),
    };
    await this.store(ctx, rule, current);
    ctx.emit({ type: 'RuleDeactivated', ruleId: rule.ruleId, version: rule.version });
    return canonical(rule);
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ROLES, 'read rules');
    const req = parseInput(RuleIdInput, input, 'rule query');
    const rule = await ctx.ledger.get<Rule>(ruleKey(req.ruleId));
    if (!rule || !visible(ctx, rule)) throw new ChaincodeError('RULE_NOT_FOUND', `rule ${req.ruleId} does not exist`);
    return canonical(rule);
  }

  /**
   * BLOCK rules are the norms every member must meet, so members read them as compliance guidance; ALERT
   * rules are how the regulator watches, and only it and auditors see them (no tipping off).
   */
  @Transaction(false)
  @Returns('string')
  async list(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ROLES, 'read rules');
    const req = parseInput(RuleListInput, input, 'rule list');
    const rules = req.includeInactive ? (await ctx.ledger.scan<Rule>('rule')).map((r) => r.value) : await activeRules(ctx.ledger);
    return canonical(rules.filter((r) => visible(ctx, r)));
  }

  /** Every version of a rule, oldest first. */
  @Transaction(false)
  @Returns('string')
  async versions(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ROLES, 'read rules');
    const req = parseInput(RuleIdInput, input, 'rule versions');
    const versions = (await ctx.ledger.scan<Rule>('rulever', req.ruleId)).map((r) => r.value).filter((r) => visible(ctx, r));
    if (versions.length === 0) throw new ChaincodeError('RULE_NOT_FOUND', `rule ${req.ruleId} does not exist`);
    return canonical(versions);
  }

  @Transaction()
  @Returns('string')
  async watch(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator'], 'change watchlists');
    const req = parseInput(WatchlistAddInput, input, 'watchlist entry');
    const k = watchKey(req.kind, req.value);
    const previous = await ctx.ledger.get<WatchlistEntry>(k);
    const now = ctx.ledger.txTime();
    const entry: WatchlistEntry = {
      kind: req.kind,
      value: req.value,
      reason: req.reason,
      active: true,
      addedAt: previous?.active ? previous.addedAt : now,
      updatedAt: now,
      lastTxId: ctx.ledger.txId(),
    };
    await ctx.ledger.put(k, entry);
    if (!previous) await this.protect(ctx, k);
    ctx.emit({ type: 'WatchlistEntryAdded', kind: req.kind, value: req.value });
    return canonical(entry);
  }

  @Transaction()
  @Returns('string')
  async unwatch(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator'], 'change watchlists');
    const req = parseInput(WatchlistRemoveInput, input, 'watchlist removal');
    const k = watchKey(req.kind, req.value);
    const previous = await ctx.ledger.get<WatchlistEntry>(k);
    if (!previous?.active) throw new ChaincodeError('WATCHLIST_ENTRY_NOT_FOUND', `${req.kind} ${req.value} is not on the watchlist`);
    const entry: WatchlistEntry = { ...previous, active: false, note: req.note, updatedAt: ctx.ledger.txTime(), lastTxId: ctx.ledger.txId() };
    await ctx.ledger.put(k, entry);
    ctx.emit({ type: 'WatchlistEntryRemoved', kind: req.kind, value: req.value });
    return canonical(entry);
  }

  /** Who is watched is the regulator's to know (and the auditors'): telling a member would be tipping off. */
  @Transaction(false)
  @Returns('string')
  async watchlist(ctx: RegchainContext, input: string): Promise<string> {
    requireRole(ctx.caller, ['regulator', 'auditor'], 'read watchlists');
    const req = parseInput(WatchlistListInput, input, 'watchlist query');
    const rows = req.kind ? await ctx.ledger.scan<WatchlistEntry>('watch', req.kind) : await ctx.ledger.scan<WatchlistEntry>('watch');
    return canonical(rows.map((r) => r.value).filter((e) => req.includeRemoved || e.active));
  }

  /** Kept for one release: the typology contract's typology:publish. */
  @Transaction()
  @Returns('string')
  async publishTypologies(ctx: RegchainContext, input: string): Promise<string> {
    return publishTypologies(ctx, input);
  }

  /** Kept for one release: the typology contract's typology:get. */
  @Transaction(false)
  @Returns('string')
  async typologies(ctx: RegchainContext, input: string): Promise<string> {
    return typologies(ctx, input);
  }
}
