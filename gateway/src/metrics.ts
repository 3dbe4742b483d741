// Prometheus metrics of the gateway: requests by route, submits by outcome, endorse and commit latency, stream clients.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly requestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly submits: Counter<'fn' | 'outcome'>;
  readonly endorseDuration: Histogram<'fn'>;
  readonly commitDuration: Histogram<'fn'>;
  readonly streamClients: Gauge;
  readonly streamEventsSkipped: Counter<'reason'>;
  readonly streamDrops: Counter;
  readonly peerUp: Gauge<'peer'>;
  readonly failovers: Counter<'step' | 'peer'>;
  readonly resubmits: Counter<'fn'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'regchain_gateway_' });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    requestDuration: new Histogram({
      name: 'regchain_http_request_duration_seconds',
      help: 'HTTP request latency by route',
      labelNames: ['method', 'route', 'status'],
      buckets,
      registers: [registry],
    }),
    submits: new Counter({
      name: 'regchain_submit_total',
      help: 'Submitted transactions by chaincode function and outcome',
      labelNames: ['fn', 'outcome'],
      registers: [registry],
    }),
    endorseDuration: new Histogram({
      name: 'regchain_endorse_duration_seconds',
      help: 'Time to collect endorsements',
      labelNames: ['fn'],
      buckets,
      registers: [registry],
    }),
    commitDuration: new Histogram({
      name: 'regchain_commit_duration_seconds',
      help: 'Time from submit to commit status',
      labelNames: ['fn'],
      buckets,
      registers: [registry],
    }),
    streamClients: new Gauge({ name: 'regchain_stream_clients', help: 'Connected event-stream clients', registers: [registry] }),
    streamEventsSkipped: new Counter({
      name: 'regchain_stream_events_skipped_total',
      help: 'Chaincode events the stream could not read and skipped',
      labelNames: ['reason'],
      registers: [registry],
    }),
    peerUp: new Gauge({
      name: 'regchain_peer_up',
      help: 'Each gateway peer: 1 when the last request through it reached it, 0 when not',
      labelNames: ['peer'],
      registers: [registry],
    }),
    failovers: new Counter({
      name: 'regchain_failovers_total',
      help: 'Requests moved to the next peer because this one could not be reached, by step',
      labelNames: ['step', 'peer'],
      registers: [registry],
    }),
    resubmits: new Counter({
      name: 'regchain_resubmits_total',
      help: 'Signed transactions sent again because their commit did not arrive within 3 s',
      labelNames: ['fn'],
      registers: [registry],
    }),
    streamDrops: new Counter({ name: 'regchain_stream_drops_total', help: 'Event-stream readers dropped for falling too far behind', registers: [registry] }),
  };
}
