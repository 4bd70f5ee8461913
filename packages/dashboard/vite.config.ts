import { defineConfig } from 'vite';

// Relative asset paths: the server mounts the built page at `/`.
export default defineConfig({
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
