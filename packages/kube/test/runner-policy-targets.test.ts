import { describe, expect, it } from 'vitest';
import type { CliTool } from '../src/runner/index.js';
import { check, expectRefused, TRUSTING } from './runner-policy-helpers.js';

/** Options that pick or rewire the cluster inside the kubeconfig, in every spelling and position. */
const hostile: Array<[CliTool, string, string]> = [
  ['kubectl', 'get pods --context other', '--context'],
  ['kubectl', 'get pods --context=other', '--context'],
  ['kubectl', '--context other get pods', '--context'],
  ['kubectl', '--context=other get pods', '--context'],
  ['kubectl', 'get pods --cluster prod', '--cluster'],
  ['kubectl', 'get pods --cluster=prod', '--cluster'],
  ['kubectl', '--cluster prod --user admin get pods', '--cluster'],
  ['kubectl', 'get pods --user admin', '--user'],
  ['kubectl', 'get pods --user=admin', '--user'],
  ['kubectl', 'create deployment web --image=nginx --user=admin', '--user'],
  ['kubectl', 'config view --context other', '--context'],
  ['helm', 'list --kube-context other', '--kube-context'],
  ['helm', '--kube-context=other status web', '--kube-context'],
  ['istioctl', 'ps --context other', '--context'],
  ['istioctl', '--context=other analyze', '--context'],
  ['argocd', 'app list --kube-context other', '--kube-context'],
  ['argocd', '--kube-context=other app list', '--kube-context'],
];

describe('targets are contexts', () => {
  it.each(hostile)('%s %s: refused, naming %s', (tool, command, shown) => {
    const error = expectRefused(tool, command, 'target', TRUSTING);
    expect(error.refused).toBe(shown);
    expect(error.details.next).toBe("Pick the target with the tool's `context` argument (see context_list).");
  });

  it('a command’s own option of the same name is not a target', () => {
    expect(check('kubectl', 'create rolebinding rb --clusterrole=view --user=bob').verb).toBe(
      'create rolebinding',
    );
    expect(check('kubectl', 'create clusterrolebinding rb --clusterrole=view --user bob').verb).toBe(
      'create clusterrolebinding',
    );
    expect(check('kubectl', 'set subject rolebinding rb --user=bob').verb).toBe('set subject');
    expect(check('argocd', 'app list --cluster in-cluster').verb).toBe('app list');
  });

  it('the server and credentials stay refused as before', () => {
    expect(expectRefused('kubectl', 'get pods -s https://evil.example.com', 'flag').refused).toBe('-s');
    expect(expectRefused('helm', 'list --kube-apiserver=https://evil', 'flag').refused).toBe(
      '--kube-apiserver',
    );
  });
});
