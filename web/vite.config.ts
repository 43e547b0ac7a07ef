// Vite build of the Civitas web app. The server serves dist/web at `/` with an SPA fallback and a
// strict CSP (script-src 'self', style-src 'self'), so the build must not inline scripts, styles or
// assets: everything ships as files from the same origin and works with no internet.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  resolve: {
    // Shared domain code imports mgrs's default export, which its ES build lacks.
    alias: [
      {
        find: /^mgrs$/,
        replacement: fileURLToPath(new URL('./src/mgrs-default.ts', import.meta.url)),
      },
    ],
  },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // Data: URLs would need a CSP exception; emit every asset as a file instead.
    assetsInlineLimit: 0,
    // MapLibre and milsymbol are ~1 MB minified each; they get their own long-cached chunks.
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        manualChunks: (id) =>
          id.includes('node_modules/maplibre-gl')
            ? 'maplibre'
            : id.includes('node_modules/milsymbol')
              ? 'milsymbol'
              : undefined,
      },
    },
  },
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
});
