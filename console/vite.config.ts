// The console is served by the gateway at /console: built files only, hashed assets, nothing from a CDN.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/console/',
  // The shared package's browser-safe sources, so the bundle takes only what the screens use.
  resolve: { alias: { '@regchain/common': fileURLToPath(new URL('../common/src/index.ts', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // ECharts and Cytoscape are loaded by the screens that draw, not on first load.
    chunkSizeWarningLimit: 1200,
  },
  server: {
    // `npx vite` in console/ proxies the API to a running gateway (npm start's).
    proxy: { '/v1': 'http://127.0.0.1:3000' },
  },
});
