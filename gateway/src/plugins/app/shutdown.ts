// Closing gracefully: once close begins, responses still in flight end their keep-alive connection, so closing
// waits for the requests themselves and not for idle sockets to time out.
import fp from 'fastify-plugin';

export default fp(
  async (fastify) => {
    let closing = false;
    fastify.addHook('preClose', async () => {
      closing = true;
    });
    fastify.addHook('onSend', async (_request, reply, payload) => {
      if (closing) void reply.header('connection', 'close');
      return payload;
    });
  },
  { name: 'shutdown' },
);
