/**
 * Kubernetes label selectors (`env=prod,tier in (web,api),!canary`) read strictly, for servers that select
 * their own targets by label (OCM's managed clusters). The grammar is the API server's (`labels.Parse`)
 * without the numeric `gt`/`lt` operators, which only node affinity uses; keys and values are checked as
 * label keys and values are, so whatever parses here means the same to the API server.
 */

export type LabelOperator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!';

export interface LabelRequirement {
  key: string;
  operator: LabelOperator;
  /** One value for `=` and `!=`, at least one for `in` and `notin`, none otherwise. */
  values: string[];
}

/** A selector that does not parse; the message names the part and the problem, for a model to fix. */
export class LabelSelectorError extends Error {
  override name = 'LabelSelectorError';
}

/** The longest selector accepted: far above any real one, and a bound on the work a request can cause. */
const MAX_SELECTOR = 4096;
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function fail(message: string): never {
  throw new LabelSelectorError(message);
}

/** A label key: `name` or `prefix/name`, the prefix a DNS subdomain of at most 253 characters. */
function checkKey(key: string): string {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    fail(`"${key}" is not a label key: its prefix must be a DNS subdomain`);
  }
  if (name.length > 63 || !NAME.test(name)) {
    fail(
      `"${key}" is not a label key: at most 63 letters, digits, '-', '_' or '.', starting and ending ` +
        'with a letter or digit (with an optional DNS prefix and /)',
    );
  }
  return key;
}

/** A label value: empty, or at most 63 letters, digits, `-`, `_`, `.`, starting and ending alphanumeric. */
function checkValue(value: string, key: string): string {
  if (value === '' || (value.length <= 63 && NAME.test(value))) return value;
  return fail(`"${value}" is not a valid value for ${key}: at most 63 letters, digits, '-', '_' or '.'`);
}

/** Splits on the commas outside parentheses; unbalanced parentheses are an error. */
function requirementsText(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0 || depth > 1) fail('its parentheses do not match');
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (depth !== 0) fail('its parentheses do not match');
  parts.push(current);
  return parts.map((p) => p.trim());
}

const KEY = String.raw`[^\s=!(),<>]+`;
const NOT_EXISTS = new RegExp(String.raw`^!\s*(${KEY})$`);
const SET = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^()]*)\)$`);
const EQUALITY = new RegExp(String.raw`^(${KEY})\s*(==|=|!=)\s*([^\s=!(),]*)$`);
const EXISTS = new RegExp(`^(${KEY})$`);

function requirement(part: string): LabelRequirement {
  if (part === '') fail('it has an empty requirement (two commas, or a comma at an end)');
  let m = NOT_EXISTS.exec(part);
  if (m) return { key: checkKey(m[1]!), operator: '!', values: [] };
  m = SET.exec(part);
  if (m) {
    const key = checkKey(m[1]!);
    const values = m[3]!.split(',').map((v) => v.trim());
    if (values.some((v) => v === '')) fail(`the values of "${key} ${m[2]}" must be non-empty: (a,b)`);
    return { key, operator: m[2] as 'in' | 'notin', values: values.map((v) => checkValue(v, key)) };
  }
  m = EQUALITY.exec(part);
  if (m) {
    const key = checkKey(m[1]!);
    return { key, operator: m[2] === '!=' ? '!=' : '=', values: [checkValue(m[3]!, key)] };
  }
  m = EXISTS.exec(part);
  if (m) return { key: checkKey(m[1]!), operator: 'exists', values: [] };
  return fail(
    `"${part}" is not a requirement: use key=value, key!=value, key in (a,b), key notin (a,b), key or !key`,
  );
}

/**
 * Parses a label selector. Throws `LabelSelectorError` for anything the API server would refuse, for an
 * empty selector (which would select everything), and for `>`/`<`.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (selector.length > MAX_SELECTOR) fail(`it is longer than ${MAX_SELECTOR} characters`);
  if (/[\p{C}]/u.test(selector)) fail('it holds control or invisible characters');
  if (selector.trim() === '') fail('it is empty');
  return requirementsText(selector).map(requirement);
}

/** What each operator asks of a label: whether it is present, and its value. */
const SATISFIES: Record<
  LabelOperator,
  (has: boolean, value: string | undefined, values: string[]) => boolean
> = {
  '=': (has, value, values) => has && value === values[0],
  '!=': (has, value, values) => !has || value !== values[0],
  in: (has, value, values) => has && values.includes(value!),
  notin: (has, value, values) => !has || !values.includes(value!),
  exists: (has) => has,
  '!': (has) => !has,
};

/** Whether `labels` satisfy every requirement (an absent label satisfies `!=`, `notin` and `!`). */
export function matchesLabels(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  const own = labels ?? {};
  return requirements.every(({ key, operator, values }) =>
    SATISFIES[operator](Object.hasOwn(own, key), own[key], values),
  );
}

/** A LabelSelector object as the API carries one (a Deployment's, a ManagedClusterSet's, a Placement's). */
export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

const OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * The requirements of a LabelSelector object (`matchLabels` as `=`), or undefined when an expression's
 * operator is none of In, NotIn, Exists and DoesNotExist: such a selector selects nothing, as the API
 * server refuses it.
 */
export function objectRequirements(selector: LabelSelectorObject): LabelRequirement[] | undefined {
  const requirements: LabelRequirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
    key,
    operator: '=',
    values: [value],
  }));
  for (const { key, operator, values } of selector.matchExpressions ?? []) {
    const op = OPERATORS[operator];
    if (op === undefined) return undefined;
    requirements.push({ key, operator: op, values: values ?? [] });
  }
  return requirements;
}
