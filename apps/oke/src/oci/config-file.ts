import { ConfigError } from '@cloudmcp/toolkit';

/** One `key = value` of a profile, with the line it came from (for error messages: never the value). */
export interface ConfigEntry {
  value: string;
  line: number;
}

/** A parsed OCI config file: profile name → lower-cased key → entry. */
export type OciConfigFile = Map<string, Map<string, ConfigEntry>>;

/** Larger than any real config; a bigger file is not an OCI config. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Parses the text of an OCI config file (`~/.oci/config`) as the SDKs and the CLI read it, strictly.
 *
 * Accepted as both readers accept it: `[PROFILE]` headers (name trimmed, case kept), `key = value` split on
 * the first `=` (both sides trimmed, so values may contain `=` and `#`), whole-line comments starting with
 * `#` or `;`, blank lines, CRLF and a UTF-8 BOM. Keys are lower-cased, as the CLI's configparser does.
 * Refused, naming the file and line but never the line's text (it may be a pasted key or pass phrase):
 * a line that is neither a header, a comment nor `key = value`, a setting before any header, an empty
 * profile name or key, and a repeated profile or key (the CLI's configparser refuses those too).
 */
export function parseOciConfig(text: string, file: string): OciConfigFile {
  if (text.length > MAX_CONFIG_BYTES) throw new ConfigError(`${file} is too large to be an OCI config file`);
  const profiles: OciConfigFile = new Map();
  let current: Map<string, ConfigEntry> | undefined;
  let currentName = '';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
      const name = trimmed.slice(1, -1).trim();
      if (name === '') throw new ConfigError(`${file} line ${line}: empty profile name`);
      if (profiles.has(name)) throw new ConfigError(`${file} line ${line}: profile [${name}] appears twice`);
      current = new Map();
      currentName = name;
      profiles.set(name, current);
      return;
    }
    const split = trimmed.indexOf('=');
    if (split === -1) throw new ConfigError(`${file} line ${line}: expected \`key = value\``);
    const key = trimmed.slice(0, split).trim().toLowerCase();
    if (key === '') throw new ConfigError(`${file} line ${line}: a setting without a key`);
    if (!current) throw new ConfigError(`${file} line ${line}: \`${key}\` comes before any [profile] header`);
    if (current.has(key)) {
      throw new ConfigError(`${file} line ${line}: \`${key}\` appears twice in profile [${currentName}]`);
    }
    current.set(key, { value: trimmed.slice(split + 1).trim(), line });
  });
  return profiles;
}

/**
 * A key of a profile, falling back to [DEFAULT] when the profile does not have it, as every OCI reader
 * does. An empty value counts as unset (and, being the profile's own, does not fall back).
 */
export function profileValue(config: OciConfigFile, profile: string, key: string): ConfigEntry | undefined {
  const entry = config.get(profile)?.get(key) ?? config.get('DEFAULT')?.get(key);
  return entry && entry.value !== '' ? entry : undefined;
}
