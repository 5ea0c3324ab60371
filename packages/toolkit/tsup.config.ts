import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/process-setup.ts', 'src/sdk-node-shims.ts'],
  format: ['esm'],
  target: 'node20',
  dts: true,
  clean: true,
  sourcemap: true,
});
