// What every submitting route shares: its query (?async), idempotency header, documented responses, and answer.
import type { SubmitAnswer } from '../../plugins/app/ledger';
import { SubmitHeaders, SubmitQuery, submitResponses } from '../../schemas/responses';

/** The schema of a route that submits a transaction, with the route's own parts (params, body). */
export const submitting = <T extends object>(tag: string, summary: string, okStatus: 200 | 201, parts: T) => ({
  tags: [tag],
  summary,
  querystring: SubmitQuery,
  headers: SubmitHeaders,
  response: submitResponses(okStatus),
  ...parts,
});

export const answer = (okStatus: 200 | 201, query: { async?: 'true' | 'false' }): SubmitAnswer => ({ okStatus, async: query.async === 'true' });
