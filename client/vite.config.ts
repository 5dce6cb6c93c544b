import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The dashboards build to static files that the server serves (server/web.ts).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: {
    proxy: {
      '/v1': 'http://127.0.0.1:3000',
      '/demo': 'http://127.0.0.1:3000',
      '/sandbox': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'ws://127.0.0.1:3000', ws: true },
    },
  },
});
