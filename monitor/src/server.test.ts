// The monitor's settings are checked at start: a bad value stops it, naming the variable, the value and the rule.
import { monitorConfig } from './server';

describe('monitor settings', () => {
  it.each([
    ['REGCHAIN_MONITOR_PORT', '3100x', 'the monitor’s port: a whole number from 1 to 65535'],
    ['REGCHAIN_MONITOR_LOG_LEVEL', 'chatty', 'the log level: one of fatal, error, warn, info, debug, trace, silent'],
  ])('refuses %s=%s', (name, value, rule) => {
    expect(() => monitorConfig({ [name]: value })).toThrow(`bad settings: ${name}="${value}": ${rule}`);
  });

  it('reads a good port as a number and keeps the defaults for the rest', () => {
    const config = monitorConfig({ REGCHAIN_MONITOR_PORT: '3199' });
    expect([config.port, config.logLevel]).toEqual([3199, 'info']);
  });
});
