// The gateway's settings are checked at start: a bad value stops it, naming the variable, the value and the
// rule; every bad one is named at once; good ones are read as numbers; unset ones keep their defaults.
import { SettingsError } from '@regchain/common/node';
import { GatewaySettings, loadConfig } from './config';

describe('gateway settings', () => {
  it('refuses a value that is not what the variable takes, naming it', () => {
    expect(() => loadConfig({ REGCHAIN_GATEWAY_RATE_LIMIT: '1k' })).toThrow(SettingsError);
    expect(() => loadConfig({ REGCHAIN_GATEWAY_RATE_LIMIT: '1k' })).toThrow(
      'bad settings: REGCHAIN_GATEWAY_RATE_LIMIT="1k": requests a minute per authenticated caller: a whole number from 1 to 1000000',
    );
  });

  it.each([
    ['REGCHAIN_GATEWAY_PORT', '70000'],
    ['REGCHAIN_GATEWAY_BODY_LIMIT', '-5'],
    ['REGCHAIN_GATEWAY_UPLOAD_BATCH', '2.5'],
    ['REGCHAIN_GATEWAY_INDEX_QUERIES', 'NaN'],
    ['LOG_LEVEL', 'loud'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}="${value}"`));
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ REGCHAIN_GATEWAY_PORT: 'x', REGCHAIN_MONITOR_PORT: '0' })).toThrow(/REGCHAIN_GATEWAY_PORT="x".*; REGCHAIN_MONITOR_PORT="0"/);
  });

  it('reads good values as numbers, and keeps the defaults for unset or empty ones', () => {
    const config = loadConfig({ REGCHAIN_GATEWAY_RATE_LIMIT: '300', REGCHAIN_GATEWAY_PORT: '', LOG_LEVEL: 'warn' });
    expect([config.rateLimitPerMinute, config.port, config.logLevel, config.uploadBatchSize]).toEqual([300, 3000, 'warn', 200]);
  });

  it('gives every numeric setting a rule that says what it takes', () => {
    for (const [name, schema] of Object.entries(GatewaySettings.properties))
      expect([name, schema.description]).toEqual([name, expect.stringMatching(/: (a whole number|one of)/)]);
  });
});
