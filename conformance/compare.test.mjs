// The judging rules of compare.mjs: `node --test conformance/` (runs on the machine's Node, offline).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare } from './compare.mjs';

const pass = (id) => ({ id, status: 'SUCCESS' });
const fail = (id, errorMessage = 'boom') => ({ id, status: 'FAILURE', errorMessage });
const run = (entries) => new Map(Object.entries(entries));
const baseline = {
  ping: 'pass',
  'resources-list': { fail: 'no resources capability', checks: ['resources-list'] },
  'prompts-list': { fail: 'no prompts', checks: ['prompts-list'], servers: ['cloudstack'] },
};

test('passes and listed failures are counted, not reported', () => {
  const result = compare(
    run({
      ping: [pass('ping'), { id: 'note', status: 'WARNING' }],
      'resources-list': [fail('resources-list'), pass('wire-schema-valid')],
      'prompts-list': [fail('prompts-list')],
    }),
    baseline,
    'cloudstack',
  );
  assert.deepEqual(result, { counts: { passed: 1, expectedFailures: 2, problems: 0 }, problems: [] });
});

test('a scenario expected to pass that fails is a regression, naming the failing check', () => {
  const result = compare(run({ ping: [fail('ping', 'no pong')] }), { ping: 'pass' }, 'cloudstack');
  assert.deepEqual(result.problems, ['ping: regressed: ping (no pong)']);
  assert.equal(result.counts.problems, 1);
});

test('an expected failure on a check its entry does not list is reported', () => {
  const checks = [fail('resources-list'), fail('wire-schema-valid', 'bad id')];
  const { problems } = compare(run({ 'resources-list': checks }), baseline, 'cloudstack');
  assert.deepEqual(problems.slice(0, 1), ['resources-list: new check fails: wire-schema-valid (bad id)']);
});

test('an expected failure that passes is reported as fixed, so the baseline stays honest', () => {
  const { problems } = compare(run({ 'resources-list': [pass('resources-list')] }), baseline, 'cloudstack');
  assert.match(problems[0], /^resources-list: fixed: it passes now/);
});

test('a failure narrowed to some servers must pass on the others', () => {
  const scenarios = run({ 'prompts-list': [fail('prompts-list')] });
  const onKubernetes = compare(scenarios, { 'prompts-list': baseline['prompts-list'] }, 'kubernetes');
  assert.deepEqual(onKubernetes.problems, ['prompts-list: regressed: prompts-list (boom)']);
  const passing = run({ 'prompts-list': [pass('prompts-list')] });
  assert.equal(compare(passing, { 'prompts-list': baseline['prompts-list'] }, 'kubernetes').counts.passed, 1);
});

test('a list of failures judges each server by the failure naming it, and the others as passes', () => {
  const caching = [
    {
      fail: 'no prompts, no resources',
      checks: ['prompts-hints', 'resources-hints'],
      servers: ['cloudstack'],
    },
    { fail: 'no resources', checks: ['resources-hints'], servers: ['kubernetes'] },
  ];
  const withoutPrompts = run({ caching: [fail('prompts-hints'), fail('resources-hints')] });
  assert.equal(compare(withoutPrompts, { caching }, 'cloudstack').counts.expectedFailures, 1);
  assert.deepEqual(compare(withoutPrompts, { caching }, 'kubernetes').problems, [
    'caching: new check fails: prompts-hints (boom)',
  ]);
  assert.deepEqual(compare(withoutPrompts, { caching }, 'cloudeka').problems, [
    'caching: regressed: prompts-hints (boom); resources-hints (boom)',
  ]);
  const { problems } = compare(run({ caching: [pass('resources-hints')] }), { caching }, 'kubernetes');
  assert.deepEqual(problems, [
    'caching: fixed: it passes now; update its entry in expected.json (was: no resources)',
  ]);
});

test('a list of failures needs each failure to name its servers, each server once', () => {
  const entry = { fail: 'x', checks: ['ping'] };
  const lists = [
    [],
    [entry],
    ['pass'],
    [
      { ...entry, servers: ['cloudstack'] },
      { ...entry, servers: ['cloudstack', 'kubernetes'] },
    ],
    [{ fail: 'TODO: explain', checks: ['ping'], servers: ['cloudstack'] }],
  ];
  for (const list of lists) {
    const { problems } = compare(run({ ping: [fail('ping')] }), { ping: list }, 'cloudstack');
    assert.match(problems[0], /^ping: bad entry in expected\.json/);
  }
});

test('unlisted and missing scenarios are problems', () => {
  const { problems } = compare(run({ caching: [pass('caching')] }), { ping: 'pass' }, 'cloudstack');
  assert.deepEqual(problems, [
    'caching: unlisted in expected.json (passes)',
    'ping: missing: in expected.json, but the suite did not run it',
  ]);
});

test('a failure without a reason, or with a TODO reason, is not an explanation', () => {
  for (const entry of [{ checks: ['ping'] }, { fail: 'TODO: explain', checks: ['ping'] }, { fail: 'x' }]) {
    const { counts, problems } = compare(run({ ping: [fail('ping')] }), { ping: entry }, 'cloudstack');
    assert.equal(counts.expectedFailures, 0);
    assert.match(problems[0], /^ping: bad entry in expected\.json/);
  }
});

test('an era with no baseline fails as a whole, every scenario a problem', () => {
  const scenarios = run({ ping: [pass('ping')], caching: [fail('caching')] });
  const { counts, problems } = compare(scenarios, undefined, 'cloudstack');
  assert.deepEqual(counts, { passed: 0, expectedFailures: 0, problems: 2 });
  assert.deepEqual(problems, ['no baseline for this era in expected.json: 1 pass, 1 fail (caching)']);
});
