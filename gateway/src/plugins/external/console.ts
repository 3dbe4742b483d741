// The web console's built files at /console (@fastify/static, compressed with @fastify/compress in their own
// scope so the API and its event stream are not), under a strict content security policy; a clear 503 when the
// console has not been built.
import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ApiError } from '../../errors';

/** Scripts and styles from the console itself only; the API on the same origin; no framing, no referrer. */
const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // ECharts and Cytoscape size their canvases with inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export default fp(
  async (fastify, opts: { dir: string }) => {
    const built = fs.existsSync(path.join(opts.dir, 'index.html'));
    fastify.get('/console', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console/', 301));
    if (!built) {
      fastify.get('/console/*', { schema: { hide: true } }, async () => {
        throw new ApiError(503, 'CONSOLE_NOT_BUILT', 'the console has not been built: run `npm run build -w console` (npm start and npm test do)');
      });
      return;
    }
    await fastify.register(async (files) => {
      // Brotli at quality 5: most of the gain of 11 at a fraction of the CPU, for files browsers then cache for good.
      await files.register(compress, {
        global: true,
        threshold: 1024,
        encodings: ['br', 'gzip'],
        brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } },
      });
      await files.register(fastifyStatic, {
        root: opts.dir,
        prefix: '/console/',
        decorateReply: false,
        cacheControl: false,
        index: ['index.html'],
        setHeaders: (res, file) => {
          res.setHeader('content-security-policy', POLICY);
          res.setHeader('x-content-type-options', 'nosniff');
          res.setHeader('referrer-policy', 'no-referrer');
          // Vite names assets by their content hash; the page itself is re-read every time.
          res.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    });
  },
  { name: 'console' },
);
