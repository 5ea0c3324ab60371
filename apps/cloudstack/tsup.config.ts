import { defineConfig } from 'tsup';

// The server ships as one bundle: our own workspace packages are inlined (so `npx @cloudmcp/cloudstack`
// needs nothing unpublished), while the SDK, zod and yaml stay ordinary npm dependencies.
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { resolve: [/^@cloudmcp\//] },
  clean: true,
  sourcemap: true,
  noExternal: [/^@cloudmcp\//],
});
