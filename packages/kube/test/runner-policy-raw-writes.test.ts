import { describe, expect, it } from 'vitest';
import { check, expectRefused, refusal, TRUSTING } from './runner-policy-helpers.js';

const CMS = '/api/v1/namespaces/team-a/configmaps';

/** `--raw` writes ignore `--dry-run`: refused in every spelling and position, whatever the mode. */
const hostile = [
  `create --raw ${CMS} -f - --dry-run=server`,
  `create --raw=${CMS} -f - --dry-run=server`,
  `create -f - --raw ${CMS} --dry-run=server`,
  `create --dry-run=server --raw ${CMS} --filename=-`,
  `create --raw ${CMS} -f - --dry-run=client`,
  `replace --raw ${CMS}/x -f - --dry-run=server`,
  `delete --raw ${CMS}/x --dry-run=server`,
  `delete --raw=${CMS}/x`,
  'delete --raw /api/v1/namespaces/team-a',
  '--raw /apis/rbac.authorization.k8s.io/v1/clusterrolebindings create -f -',
  'create --raw /apis/rbac.authorization.k8s.io/v1/clusterrolebindings -f - --dry-run=server',
];

describe('kubectl --raw on writes', () => {
  it.each(hostile)('kubectl %s: refused, naming --raw', (command) => {
    const error = expectRefused('kubectl', command, 'flag');
    expect(error.refused).toBe('--raw');
    expect(error.message).toMatch(/ignores `--dry-run`/);
    expect(error.details.next).toMatch(/without `--raw`/);
    for (const options of [TRUSTING, { readOnly: true }]) {
      expect(refusal('kubectl', command, options).kind).toBe('flag');
    }
  });

  it('reads with --raw stay allowed, as reads', () => {
    const result = check('kubectl', 'get --raw /api/v1/namespaces', { readOnly: true });
    expect(result).toMatchObject({ verb: 'get', access: 'read', dryRun: false });
  });

  it('the same writes without --raw keep honest previews', () => {
    expect(check('kubectl', 'create -f - --dry-run=server')).toMatchObject({ access: 'read', dryRun: true });
    expect(check('kubectl', 'delete cm x --dry-run=server')).toMatchObject({
      access: 'read',
      destructive: false,
    });
    expect(check('kubectl', 'delete cm x')).toMatchObject({ access: 'write', destructive: true });
  });
});
