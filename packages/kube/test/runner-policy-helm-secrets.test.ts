import { describe, expect, it } from 'vitest';
import { check, expectRefused } from './runner-policy-helpers.js';

/** helm output that shows Secret values redaction cannot recognise: refused unless secrets are allowed. */
const hostile: Array<[string, string]> = [
  ['get values kept -n default', 'helm get values'],
  ['get values kept --all -o json', 'helm get values'],
  ['get all kept', 'helm get all'],
  ['get manifest kept', 'helm get manifest'],
  ['get hooks kept', 'helm get hooks'],
  ['get notes kept', 'helm get notes'],
  ['-n default get values kept', 'helm get values'],
  ['status kept -o json', '-o json'],
  ['status kept --output=yaml', '--output yaml'],
  ['install peek oci://r.example.com/peek --dry-run=server', '--dry-run=server'],
  ['install peek oci://r.example.com/peek --dry-run=server -o json', '--dry-run=server'],
  ['upgrade --install peek oci://r.example.com/peek --dry-run=server', '--dry-run=server'],
  ['template peek oci://r.example.com/peek --dry-run=server', '--dry-run=server'],
  ['rollback peek 1 --dry-run=server', '--dry-run=server'],
  ['upgrade peek oci://r.example.com/peek --reuse-values --dry-run=client', '--reuse-values'],
  ['upgrade peek oci://r.example.com/peek --dry-run --reset-then-reuse-values', '--reset-then-reuse-values'],
];

describe('helm and Secret values', () => {
  it.each(hostile)('helm %s: refused without allow-secrets, naming %s', (command, shown) => {
    const error = expectRefused('helm', command, 'secrets', { allowLocalFiles: true });
    expect(error.refused).toBe(shown);
    expect(error.details.next).toMatch(/allow-secrets option/);
    expect(() => check('helm', command, { allowSecrets: true })).not.toThrow();
  });

  it('says why a server-side dry run is a read of Secrets', () => {
    const error = expectRefused('helm', 'install x oci://r.example.com/x --dry-run=server', 'secrets');
    expect(error.message).toMatch(/lookup/);
  });

  it.each([
    'status kept',
    'status kept -o table',
    'history kept',
    'list -A -o json',
    'get metadata kept',
    'install peek oci://r.example.com/peek --dry-run=client',
    'install peek oci://r.example.com/peek --dry-run',
    'template peek oci://r.example.com/peek',
    'upgrade peek oci://r.example.com/peek --reuse-values',
  ])('helm %s: allowed', (command) => {
    expect(() => check('helm', command)).not.toThrow();
  });

  it('a client-side dry run is a preview; a server-side one only with allow-secrets', () => {
    expect(check('helm', 'install x oci://r.example.com/x --dry-run=client', { readOnly: true }).dryRun).toBe(
      true,
    );
    const server = check('helm', 'install x oci://r.example.com/x --dry-run=server', {
      readOnly: true,
      allowSecrets: true,
    });
    expect(server).toMatchObject({ access: 'read', dryRun: true });
  });
});
