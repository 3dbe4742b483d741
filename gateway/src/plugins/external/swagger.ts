// OpenAPI 3.1 from the routes' TypeBox schemas (@fastify/swagger), and its UI at /docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

export const TAGS = [
  ['filing', 'CAC-style blockchain service filings: submit, review, approve with a number, amend, deregister'],
  ['rule', 'Compliance rules checked on every transfer (BLOCK or ALERT), versioned'],
  ['watchlist', 'Entities and accounts the rules watch'],
  ['typology', "The monitor's fund-flow pattern parameters, published by the regulator"],
  ['account', 'Accounts that funds move between'],
  ['project', 'Projects with budgets by purpose'],
  ['transfer', 'Fund transfers, each checked against the active rules'],
  ['trace', 'Where funds came from and went, across hops'],
  ['alert', "Alerts raised by rules and by the monitor for patterns, and the regulator's workflow on them"],
  ['statistics', 'Counts for supervision'],
  ['public', 'Verification anyone may do, without a key'],
  ['transaction', 'Status of submitted transactions'],
  ['audit', 'Endorsement audits from the ledger itself, and evidence bundles'],
  ['event', 'Live stream of what transactions did'],
  ['offline', 'Submitting with keys the gateway never holds'],
  ['network', 'Blocks, transactions, the chaincode definition and the health of the nodes'],
  ['caller', 'Who the API key belongs to'],
  ['operations', 'Health, readiness and metrics'],
] as const;

export default fp(
  async (fastify) => {
    await fastify.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'regchain gateway',
          version: '1.0.0',
          description: 'Filings, compliance rules, fund-flow traces and alerts on the regchain Fabric network, and endorsement audits from the ledger.',
        },
        components: {
          securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key issued by `npm run gateway:admin -- create-caller`' } },
        },
        security: [{ apiKey: [] }],
        tags: TAGS.map(([name, description]) => ({ name, description })),
      },
    });
    await fastify.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger' },
);
