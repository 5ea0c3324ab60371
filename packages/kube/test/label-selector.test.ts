import { describe, expect, it } from 'vitest';
import { LabelSelectorError, matchesLabels, objectRequirements, parseLabelSelector } from '../src/index.js';

// Label selectors a model writes to pick clusters: parsed as the API server parses them, refused when it
// would refuse them, and matched with its semantics (absent labels satisfy the negative operators).

describe('parseLabelSelector', () => {
  it('reads every operator the API server takes for labels, with or without spaces', () => {
    expect(
      parseLabelSelector(
        'env=prod, tier == web,zone!=eu-1,region in (us-east, us-west),tier notin (db),gpu,!canary',
      ),
    ).toEqual([
      { key: 'env', operator: '=', values: ['prod'] },
      { key: 'tier', operator: '=', values: ['web'] },
      { key: 'zone', operator: '!=', values: ['eu-1'] },
      { key: 'region', operator: 'in', values: ['us-east', 'us-west'] },
      { key: 'tier', operator: 'notin', values: ['db'] },
      { key: 'gpu', operator: 'exists', values: [] },
      { key: 'canary', operator: '!', values: [] },
    ]);
    expect(parseLabelSelector('cluster.open-cluster-management.io/clusterset=default')).toEqual([
      { key: 'cluster.open-cluster-management.io/clusterset', operator: '=', values: ['default'] },
    ]);
    expect(parseLabelSelector('env=')).toEqual([{ key: 'env', operator: '=', values: [''] }]);
  });

  it.each([
    ['', /it is empty/],
    ['   ', /it is empty/],
    ['env=prod,', /empty requirement/],
    [',env=prod', /empty requirement/],
    ['env=prod,,tier=web', /empty requirement/],
    ['env in (a,b', /parentheses do not match/],
    ['env in ((a))', /parentheses do not match/],
    ['env) in (a', /parentheses do not match/],
    ['env in ()', /must be non-empty/],
    ['env in (a,)', /must be non-empty/],
    ['count>3', /is not a requirement/],
    ['env=a=b', /is not a requirement/],
    ['env = prod web', /is not a requirement/],
    ['-env=prod', /is not a label key/],
    ['Bad_Prefix/env=prod', /prefix must be a DNS subdomain/],
    [`${'k'.repeat(64)}=v`, /is not a label key/],
    [`env=${'v'.repeat(64)}`, /is not a valid value for env/],
    ['env=-prod', /is not a valid value/],
    ['env=prod\u0000', /control or invisible characters/],
    ['env=prod\u200b', /control or invisible characters/],
    [`env in (${Array.from({ length: 900 }, (_, i) => `v${i}`).join(',')})`, /longer than 4096/],
  ])('refuses %j', (selector, problem) => {
    expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector(selector)).toThrow(problem);
  });
});

describe('matchesLabels', () => {
  const labels = { env: 'prod', tier: 'web', empty: '' };
  it.each([
    ['env=prod', true],
    ['env=dev', false],
    ['env!=dev', true],
    ['missing!=x', true],
    ['env in (dev,prod)', true],
    ['env notin (dev,prod)', false],
    ['missing notin (x)', true],
    ['missing in (x)', false],
    ['tier', true],
    ['missing', false],
    ['!missing', true],
    ['!env', false],
    ['empty=', true],
    ['env=prod,tier=db', false],
    ['env=prod,tier in (web)', true],
  ])('%s → %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('treats absent labels as an empty set', () => {
    expect(matchesLabels(parseLabelSelector('!env'), undefined)).toBe(true);
    expect(matchesLabels(parseLabelSelector('env'), undefined)).toBe(false);
  });
});

describe('objectRequirements', () => {
  it('reads matchLabels and matchExpressions as the same requirements the text form gives', () => {
    const object = {
      matchLabels: { env: 'prod' },
      matchExpressions: [
        { key: 'region', operator: 'In', values: ['eu', 'us'] },
        { key: 'tier', operator: 'NotIn', values: ['db'] },
        { key: 'gpu', operator: 'Exists' },
        { key: 'canary', operator: 'DoesNotExist' },
      ],
    };
    expect(objectRequirements(object)).toEqual(
      parseLabelSelector('env=prod,region in (eu,us),tier notin (db),gpu,!canary'),
    );
    const requirements = objectRequirements(object)!;
    expect(matchesLabels(requirements, { env: 'prod', region: 'eu', gpu: 'a100' })).toBe(true);
    expect(matchesLabels(requirements, { env: 'prod', region: 'eu', gpu: 'a100', canary: 'y' })).toBe(false);
    expect(objectRequirements({})).toEqual([]);
  });

  it('gives nothing for an operator the API server does not know (such a selector selects nothing)', () => {
    expect(
      objectRequirements({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }),
    ).toBeUndefined();
  });
});
