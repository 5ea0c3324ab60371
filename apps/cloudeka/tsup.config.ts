import { defineConfig } from 'tsup';

// The server ships as self-contained ESM: our workspace packages, the MCP SDK, zod and yaml are bundled
// (tree-shaken), so `npx -y @cloudmcp/cloudeka` installs one package with no dependencies and starts
// without resolving ~180 modules. CommonJS code inside the bundle (ajv, via the SDK) needs a `require`.
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: 'src/index.ts', resolve: [/^@cloudmcp\//] },
  clean: true,
  sourcemap: true,
  noExternal: [/.*/],
  banner: {
    js: "import { createRequire as __cloudmcpRequire } from 'node:module';\nconst require = __cloudmcpRequire(import.meta.url);",
  },
});
