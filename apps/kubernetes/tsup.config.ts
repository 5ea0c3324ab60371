import { defineConfig } from 'tsup';

// The server ships as self-contained ESM: our workspace packages, the MCP SDK, zod, yaml and
// @kubernetes/client-node are bundled (tree-shaken), so `npx -y @cloudmcp/kubernetes` installs one package
// with no dependencies. client-node is imported on the first call that talks to a cluster, so it lands in a
// chunk of its own that start-up never loads. CommonJS code inside the bundle (ajv via the SDK, client-node's
// dependencies) needs a `require`.
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: 'src/index.ts', resolve: [/^@cloudmcp\//] },
  clean: true,
  sourcemap: true,
  splitting: true,
  noExternal: [/.*/],
  banner: {
    js: "import { createRequire as __cloudmcpRequire } from 'node:module';\nconst require = __cloudmcpRequire(import.meta.url);",
  },
});
