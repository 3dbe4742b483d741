// Starts the gateway and closes it gracefully: in-flight submits finish before the connections close.
import closeWithGrace from 'close-with-grace';
import { listenAdmin } from './admin/socket';
import { buildApp } from './app';
import { createServices } from './services';

async function main(): Promise<void> {
  const services = createServices();
  // The database opened and migrated (an earlier version's files moved in) before the first request.
  await services.idempotency.ready();
  const app = await buildApp(services);
  // `gateway:admin` manages callers through this socket while the gateway holds the database.
  const admin = await listenAdmin(services.callers, services.config.dataDir);
  closeWithGrace({ delay: 30_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'closing after an error');
    else app.log.info({ signal, inFlight: services.ledger.inFlight }, 'closing: finishing in-flight requests');
    await app.close();
    await admin.close();
    await services.close();
  });
  await app.listen({ host: services.config.host, port: services.config.port });
}

main().catch((err: unknown) => {
  // A setting refused, a profile missing: one line that says which, not a stack.
  process.stderr.write(`gateway: ${(err as Error).message}\n`);
  process.exit(1);
});
