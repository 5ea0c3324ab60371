import type { Options } from 'tsup';

/**
 * How every server app is bundled (each app's tsup.config.ts is `defineConfig(serverBundle())`).
 *
 * A server ships as self-contained ESM: our workspace packages, the MCP SDK, zod, yaml and the cloud SDKs
 * are bundled (tree-shaken), so `npx -y @cloudmcp/<server>` installs one package with no dependencies and
 * starts without resolving hundreds of modules. Heavy modules (yaml, @kubernetes/client-node, the OCI SDK)
 * are imported on first use, so each lands in a chunk of its own that start-up never loads. CommonJS code
 * inside the bundle (client-node's and the OCI SDK's dependencies) needs a `require`.
 */
export function serverBundle(): Options {
  return {
    entry: ['src/index.ts', 'src/cli.ts'],
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: { entry: 'src/index.ts', resolve: [/^@cloudmcp\//] },
    clean: true,
    // No source maps: Node reads them only with --enable-source-maps, and they would more than double what
    // `npx` downloads (a published bundle must not reference files it does not ship).
    sourcemap: false,
    splitting: true,
    noExternal: [/.*/],
    esbuildOptions(options) {
      // the SDK's default JSON Schema validator without Ajv (see packages/toolkit/src/sdk-node-shims.ts)
      options.alias = { '@modelcontextprotocol/server/_shims': '@cloudmcp/toolkit/sdk-node-shims' };
    },
    banner: {
      js: "import { createRequire as __cloudmcpRequire } from 'node:module';\nconst require = __cloudmcpRequire(import.meta.url);",
    },
  };
}
