// The supervision chaincode through Fabric itself: a filing to approval, a blocked and an alerting transfer.
import { orgByKey } from '../../network/src/topology';
import { Clients, expectChaincodeError, json } from '../support/fabric';
import { VALID } from '../support/ledger';

const run = Date.now().toString(36);
const enterpriseCode = orgByKey('enterprise').users[0]?.entityId as string;
const bankCode = orgByKey('bank').users[0]?.entityId as string;
const clients = new Clients();
afterAll(() => clients.close());

const arg = (value: unknown): string => JSON.stringify(value);

describe('filings on the real network', () => {
  const regulator = clients.contract('regulator');
  const enterprise = clients.contract('enterprise');
  let filingId: string;
  let filingNumber: string;

  it('an enterprise submits a filing with its person in charge as private data', async () => {
    const filing = {
      applicant: { name: '重庆示例科技有限公司', type: 'enterprise', creditCode: enterpriseCode },
      service: {
        name: `链上存证-${run}`,
        category: 'application',
        form: 'website',
        applicationField: 'judicial',
        serverAddresses: ['10.0.0.1'],
        description: '',
      },
      attachments: [{ name: 'licence.pdf', sha256: 'b'.repeat(64) }],
    };
    const person = { name: '李四', idNumber: '11010519491231002X', phone: '023-60000000', email: 'li@example.cn' };
    const submitted = await enterprise.submitAsync('filing:submit', {
      arguments: [arg(filing)],
      transientData: { personInCharge: JSON.stringify(person) },
    });
    const status = await submitted.getStatus();
    expect(status.code).toBe(VALID);
    filingId = json<{ filingId: string }>(submitted.getResult()).filingId;
    const read = json<{ hashMatches: boolean; personInCharge: { name: string } }>(
      await regulator.evaluateTransaction('filing:getPersonInCharge', arg({ filingId })),
    );
    expect(read).toMatchObject({ hashMatches: true, personInCharge: { name: '李四' } });
  });

  it('the regulator reviews and approves it, issuing a filing number anyone can verify', async () => {
    await regulator.submitTransaction('filing:startReview', arg({ filingId, note: '' }));
    const approved = json<{ status: string; filingNumber: string }>(await regulator.submitTransaction('filing:approve', arg({ filingId, note: '材料齐全' })));
    expect(approved.status).toBe('approved');
    filingNumber = approved.filingNumber;
    const lookup = json<{ current: boolean; status: string }>(await clients.contract('bank').evaluateTransaction('filing:lookup', arg({ filingNumber })));
    expect(lookup).toMatchObject({ current: true, status: 'approved' });
  });

  it('an enterprise amends its approved filing; the key-level policy brings in the regulator', async () => {
    const amended = await enterprise.submitAsync('filing:amend', {
      arguments: [
        arg({
          filingId,
          service: {
            name: `链上存证-${run}`,
            category: 'application',
            form: 'app',
            applicationField: 'judicial',
            serverAddresses: ['10.0.0.9'],
            description: '',
          },
          attachments: [],
        }),
      ],
    });
    expect((await amended.getStatus()).code).toBe(VALID);
    const history = json<{ status: string }[]>(await clients.contract('auditor').evaluateTransaction('filing:history', arg({ filingId })));
    expect(history.map((h) => h.status)).toEqual(['submitted', 'under_review', 'approved', 'amended']);
  });

  it('another enterprise cannot act on it, and the auditor cannot write', async () => {
    await expectChaincodeError(
      regulator.submitTransaction(
        'filing:amend',
        arg({
          filingId,
          service: { name: 'x', category: 'application', form: 'app', applicationField: 'judicial', serverAddresses: ['1.1.1.1'], description: '' },
          attachments: [],
        }),
      ),
      'ACCESS_DENIED',
    );
    await expectChaincodeError(clients.contract('auditor').submitTransaction('filing:approve', arg({ filingId, note: '' })), 'ACCESS_DENIED');
  });
});

describe('transfers checked by rules on the real network', () => {
  const regulator = clients.contract('regulator');
  const bank = clients.contract('bank');
  const from = `fund-${run}`;
  const to = `ent-${run}`;
  const watched = `watched-${run}`;

  beforeAll(async () => {
    await regulator.submitTransaction(
      'rule:publish',
      arg({
        ruleId: `watch-${run}`,
        name: '收款账户在监控名单',
        description: '',
        logic: { var: 'payee.accountWatchlisted' },
        action: 'BLOCK',
        severity: 'critical',
      }),
    );
    await regulator.submitTransaction(
      'rule:publish',
      arg({
        ruleId: `large-${run}`,
        name: '大额资金',
        description: '',
        logic: { '>=': [{ var: 'amount' }, 10_000_000] },
        action: 'ALERT',
        severity: 'high',
        scope: { purposes: [`p${run}`] },
      }),
    );
    await regulator.submitTransaction('rule:watch', arg({ kind: 'account', value: watched, reason: '涉案账户' }));
    await bank.submitTransaction('account:open', arg({ accountId: from, ownerEntityId: bankCode, name: 'fund' }));
    await bank.submitTransaction('account:open', arg({ accountId: to, ownerEntityId: enterpriseCode, name: 'main' }));
    await bank.submitTransaction('account:open', arg({ accountId: watched, ownerEntityId: enterpriseCode, name: 'watched' }));
  });

  afterAll(async () => {
    // Rules are never deleted; deactivate this run's so repeated runs on one network do not pile them up.
    await regulator.submitTransaction('rule:deactivate', arg({ ruleId: `watch-${run}` }));
    await regulator.submitTransaction('rule:deactivate', arg({ ruleId: `large-${run}` }));
  });

  it('blocks a transfer to a watched account, naming the rule, and commits nothing', async () => {
    const err = await expectChaincodeError(
      bank.submitTransaction(
        'transfer:record',
        arg({ fromAccount: from, toAccount: watched, amount: 100, currency: 'CNY', purpose: `p${run}`, reference: '' }),
      ),
      'RULE_BLOCKED',
    );
    expect(err.message).toContain(`watch-${run} v1`);
    const trace = json<{ edges: unknown[] }>(await regulator.evaluateTransaction('trace:flows', arg({ accountId: from, direction: 'forward' })));
    expect(trace.edges).toEqual([]);
  });

  it('records a large transfer and raises an alert the regulator can see', async () => {
    const submitted = await bank.submitAsync('transfer:record', {
      arguments: [arg({ fromAccount: from, toAccount: to, amount: 12_000_000, currency: 'CNY', purpose: `p${run}`, reference: `INV-9-${run}` })],
    });
    const status = await submitted.getStatus();
    expect(status.code).toBe(VALID);
    const transfer = json<{ transferId: string; alerts?: string[] }>(submitted.getResult());
    // The reporting bank is not told (tipping off); the regulator reads the alert on the transfer.
    expect(transfer.alerts).toBeUndefined();
    const { alerts } = json<{ alerts: string[] }>(await regulator.evaluateTransaction('transfer:get', arg({ transferId: transfer.transferId })));
    expect(alerts).toHaveLength(1);
    const alert = json<{ ruleId: string; ruleVersion: number; transferId: string }>(
      await regulator.evaluateTransaction('alert:get', arg({ alertId: alerts[0] })),
    );
    expect(alert).toMatchObject({ ruleId: `large-${run}`, ruleVersion: 1, transferId: transfer.transferId });

    const network = clients.contract('auditor');
    const check = json<{ compliant: boolean }>(
      await bank.evaluateTransaction(
        'transfer:checkTransfer',
        arg({ fromAccount: from, toAccount: watched, amount: 1, currency: 'CNY', purpose: `p${run}`, reference: '' }),
      ),
    );
    expect(check.compliant).toBe(false);
    const onAuditor = json<{ transferId: string }>(await network.evaluateTransaction('transfer:get', arg({ transferId: transfer.transferId })));
    expect(onAuditor.transferId).toBe(transfer.transferId);
  });
});
