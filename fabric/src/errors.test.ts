// Reading the chaincode's error out of what fabric-gateway throws, and naming validation codes.
import { Metadata } from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { peer } from '@hyperledger/fabric-protos';
import { chaincodeErrorOf, chaincodeUnavailableAt, isChaincodeUnavailable, isReadConflict, messagesOf, validationName } from './errors';

const fabricError = (message: string, details: string[], mspIds: string[] = []): GatewayError =>
  new GatewayError({
    code: 2,
    message,
    details: details.map((m, i) => ({ address: `peer${i}:7051`, mspId: mspIds[i] ?? 'BankMSP', message: m })),
    cause: Object.assign(new Error(message), { code: 2, details: message, metadata: new Metadata() }),
  });

it("finds the chaincode's code, sentence and details in a peer's message", () => {
  const err = fabricError('10 ABORTED: failed to endorse transaction, see attached details for more info', [
    'chaincode response 500, ALERT_EXISTS: alert pattern-1 exists | {"alertId":"ALR-1"}',
  ]);
  expect(chaincodeErrorOf(err)).toEqual({ code: 'ALERT_EXISTS', message: 'alert pattern-1 exists', details: { alertId: 'ALR-1' } });
});

it("falls back to the error's own message, and answers undefined where no chaincode spoke", () => {
  expect(chaincodeErrorOf(new Error('TRANSFER_NOT_FOUND: no transfer t-1'))).toEqual({ code: 'TRANSFER_NOT_FOUND', message: 'no transfer t-1' });
  expect(chaincodeErrorOf(fabricError('14 UNAVAILABLE: connection refused', ['no connection']))).toBeUndefined();
  expect(chaincodeErrorOf(undefined)).toBeUndefined();
  expect(messagesOf({ details: [{ message: 'a' }, { message: 7 }], message: 'b' })).toEqual(['a', 'b']);
});

it('names validation codes and knows which conflicts are worth a retry', () => {
  expect(validationName(peer.TxValidationCode.VALID)).toBe('VALID');
  expect(validationName(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE)).toBe('ENDORSEMENT_POLICY_FAILURE');
  expect(validationName(240)).toBe('CODE_240');
  expect(validationName(undefined)).toBe('UNKNOWN');
  expect(isReadConflict(peer.TxValidationCode.MVCC_READ_CONFLICT)).toBe(true);
  expect(isReadConflict(peer.TxValidationCode.PHANTOM_READ_CONFLICT)).toBe(true);
  expect(isReadConflict(peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE)).toBe(false);
});

it('knows a peer whose chaincode service does not answer, and which org it belongs to', () => {
  // What a 3.1.5 peer answered with its org's chaincode service killed (its log, the package id shortened).
  const down =
    'error in simulation: failed to execute transaction 9b03: could not launch chaincode regchain_2dff:4a15: connection to regchain_2dff:4a15 failed: error cannot create connection for regchain_2dff:4a15: error creating grpc connection to localhost:29998: context deadline exceeded';
  const err = fabricError(
    '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info',
    [down, 'ok'],
    ['BankMSP', 'RegulatorMSP'],
  );
  expect(isChaincodeUnavailable(err)).toBe(true);
  expect(chaincodeUnavailableAt(err)).toEqual(['BankMSP']);
  const refused = fabricError('10 ABORTED: failed to endorse transaction', ['chaincode response 500, ACCESS_DENIED: not yours']);
  expect(isChaincodeUnavailable(refused)).toBe(false);
  expect(chaincodeUnavailableAt(refused)).toEqual([]);
  expect(chaincodeUnavailableAt(new Error('no details'))).toEqual([]);
});
