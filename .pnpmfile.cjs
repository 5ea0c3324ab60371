// pnpm hooks of this workspace.
module.exports = {
  hooks: {
    // What `pnpm pack` and `pnpm publish` write into a tarball's package.json (after workspace: ranges are
    // replaced). A published package's devDependencies are never installed by its users, and ours name the
    // private workspace packages (the simulators, sim-kit, mcp-test-kit) that are not on the registry.
    beforePacking(manifest) {
      const { devDependencies: _testOnly, ...published } = manifest;
      return published;
    },
  },
};
