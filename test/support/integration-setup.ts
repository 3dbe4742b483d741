// Integration tests talk to a real network: allow for Raft elections and chaincode redeploys.
jest.setTimeout(180_000);
