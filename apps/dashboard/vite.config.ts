import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The gateway serves dist/ and the WebSocket on one port; `vite dev` proxies /ws and /api to it.
const gateway = process.env.HIPCUE_GATEWAY ?? 'http://127.0.0.1:8720';

export default defineConfig({
  plugins: [react()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
  server: {
    proxy: {
      '/api': gateway,
      '/ws': { target: gateway.replace(/^http/, 'ws'), ws: true },
    },
  },
});
