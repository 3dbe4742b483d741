// Keeps fabric-contract-api's start-up logging out of test output.
process.env.CORE_CHAINCODE_LOGGING_LEVEL = 'error';
