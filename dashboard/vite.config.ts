import { defineConfig } from 'vite';

// Preact through esbuild's automatic JSX runtime: no plugin needed. During `vite dev` the API
// is proxied to a hub on :8080; in production the hub serves dist/ itself.
export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
