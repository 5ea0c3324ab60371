import type * as Yaml from 'yaml';

// The `yaml` library is a tenth of a server's start-up: evaluating it costs more instructions than the SDK
// v2 added over v1. Nothing needs it before the first tool call (lists render as tables), so it loads on
// demand, and callers that render or read YAML synchronously await `loadYaml()` once first (the toolkit
// does so before every tool call, and starts it in the background once the client has listed the tools).

let loaded: typeof Yaml | undefined;
let loading: Promise<typeof Yaml> | undefined;

/** Loads the `yaml` library once; resolves at once after that. */
export function loadYaml(): Promise<typeof Yaml> {
  loading ??= import('yaml').then((module) => {
    // Node exposes the package's CommonJS build with named exports; a bundler may hand it over as `default`
    loaded = 'Document' in module ? module : (module as { default: typeof Yaml }).default;
    return loaded;
  });
  return loading;
}

/** The `yaml` library, which `loadYaml()` must have loaded (a programming error otherwise). */
export function loadedYaml(): typeof Yaml {
  if (!loaded) throw new Error('the yaml library is not loaded yet: await loadYaml() first');
  return loaded;
}
