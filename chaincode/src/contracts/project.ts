// Projects: public funds, donations and supply-chain finance with budgets by purpose, set up by the regulator or
// a fund-holding bank; read with what each purpose has spent.
import { ProjectCreateInput, ProjectIdInput } from '@regchain/common';
import { Info, Returns, Transaction } from 'fabric-contract-api';
import { holderFor, mayReadProject } from '../domain/scope';
import { ChaincodeError } from '../errors';
import { requireRole, ROLES } from '../identity';
import { canonical } from '../json';
import { parseInput } from '../validation';
import { type Project, projectKey, spending } from '../state/projects';
import { RegchainContext, RegchainContract } from './base';

/** A project the caller may see; one it may not answers as a missing one. */
export async function visibleProject(ctx: RegchainContext, projectId: string): Promise<Project> {
  return ctx.ledger.mustSee<Project>(projectKey(projectId), 'PROJECT_NOT_FOUND', `project ${projectId}`, (p) => mayReadProject(ctx.caller, p));
}

/** Public funds, donations and supply-chain finance are set up by the regulator or a fund-holding bank. */
export async function createProject(ctx: RegchainContext, input: string): Promise<string> {
  requireRole(ctx.caller, ['regulator', 'bank'], 'create projects');
  const req = parseInput(ProjectCreateInput, input, 'project');
  const fundHolderBankId = holderFor(ctx.caller, req.fundHolderBankId, '/fundHolderBankId', 'create projects');
  const l = ctx.ledger;
  if (await l.exists(projectKey(req.projectId))) throw new ChaincodeError('PROJECT_EXISTS', `project ${req.projectId} already exists`);
  const purposes = req.budgets.map((b) => b.purpose);
  if (new Set(purposes).size !== purposes.length) {
    throw new ChaincodeError('VALIDATION_FAILED', 'project: budgets name a purpose twice', { field: '/budgets' });
  }
  const project: Project = {
    projectId: req.projectId,
    name: req.name,
    type: req.type,
    ownerEntityId: req.ownerEntityId,
    fundHolderBankId,
    budgets: [...req.budgets].sort((a, b) => (a.purpose < b.purpose ? -1 : 1)),
    createdAt: l.txTime(),
    createdBy: ctx.actor,
  };
  await l.put(projectKey(project.projectId), project);
  ctx.emit({ type: 'ProjectCreated', projectId: project.projectId, projectType: project.type });
  return canonical(project);
}

export async function getProject(ctx: RegchainContext, input: string): Promise<string> {
  requireRole(ctx.caller, ROLES, 'read projects');
  const req = parseInput(ProjectIdInput, input, 'project query');
  const project = await visibleProject(ctx, req.projectId);
  return canonical({ ...project, spending: await spending(ctx.ledger, project) });
}

@Info({ title: 'project', description: 'Projects with budgets by purpose' })
export class ProjectContract extends RegchainContract {
  constructor() {
    super('project');
  }

  @Transaction()
  @Returns('string')
  async create(ctx: RegchainContext, input: string): Promise<string> {
    return createProject(ctx, input);
  }

  @Transaction(false)
  @Returns('string')
  async get(ctx: RegchainContext, input: string): Promise<string> {
    return getProject(ctx, input);
  }
}
