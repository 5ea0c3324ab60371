import { describe, expect, it } from 'vitest';
import { withoutPodDefaults } from '../src/tools/pod-defaults.js';

const container = {
  name: 'api',
  image: 'ghcr.io/acme/api:2.3.1',
  imagePullPolicy: 'IfNotPresent',
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
  readinessProbe: {
    httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
    periodSeconds: 10,
    timeoutSeconds: 1,
    successThreshold: 1,
    failureThreshold: 3,
  },
};

const notReady = {
  key: 'node.kubernetes.io/not-ready',
  operator: 'Exists',
  effect: 'NoExecute',
  tolerationSeconds: 300,
};

describe('withoutPodDefaults', () => {
  it('leaves out what the API server fills in with its defaults', () => {
    const pod = withoutPodDefaults({
      metadata: { name: 'api-1', namespace: 'team-a' },
      spec: {
        containers: [container],
        restartPolicy: 'Always',
        terminationGracePeriodSeconds: 30,
        dnsPolicy: 'ClusterFirst',
        schedulerName: 'default-scheduler',
        serviceAccountName: 'default',
        serviceAccount: 'default',
        enableServiceLinks: true,
        preemptionPolicy: 'PreemptLowerPriority',
        priority: 0,
        nodeName: 'n1',
        tolerations: [notReady, { ...notReady, key: 'node.kubernetes.io/unreachable' }],
      },
      status: {
        hostIP: '10.0.0.1',
        hostIPs: [{ ip: '10.0.0.1' }],
        podIP: '10.1.0.7',
        podIPs: [{ ip: '10.1.0.7' }],
      },
    });
    expect(pod).toEqual({
      metadata: { name: 'api-1', namespace: 'team-a' },
      spec: {
        containers: [
          {
            name: 'api',
            image: 'ghcr.io/acme/api:2.3.1',
            ports: [{ name: 'http', containerPort: 8080 }],
            readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
          },
        ],
        serviceAccountName: 'default',
        nodeName: 'n1',
      },
      status: { hostIP: '10.0.0.1', podIP: '10.1.0.7' },
    });
  });

  it('keeps every value that differs from its default, and what a default would hide', () => {
    const tolerations = [
      { ...notReady, tolerationSeconds: 30 },
      { key: 'gpu', operator: 'Exists' },
    ];
    const pod = withoutPodDefaults({
      spec: {
        containers: [
          {
            ...container,
            image: 'nginx',
            imagePullPolicy: 'IfNotPresent',
            ports: [{ containerPort: 53, protocol: 'UDP' }],
          },
          {
            name: 'side',
            image: 'busybox:1.36',
            imagePullPolicy: 'Always',
            readinessProbe: { exec: {}, periodSeconds: 5 },
          },
        ],
        restartPolicy: 'OnFailure',
        priority: 1000,
        serviceAccount: 'old',
        serviceAccountName: 'new',
        tolerations,
      },
      status: { podIP: '10.1.0.7', podIPs: [{ ip: '10.1.0.7' }, { ip: 'fd00::7' }] },
    });
    const spec = pod['spec'] as Record<string, unknown>;
    const [first, second] = spec['containers'] as Array<Record<string, unknown>>;
    // nginx has no tag: the default would be Always, so IfNotPresent is the operator's choice
    expect(first).toMatchObject({
      image: 'nginx',
      imagePullPolicy: 'IfNotPresent',
      ports: [{ protocol: 'UDP' }],
    });
    expect(second).toMatchObject({
      imagePullPolicy: 'Always',
      readinessProbe: { exec: {}, periodSeconds: 5 },
    });
    expect(spec).toMatchObject({
      restartPolicy: 'OnFailure',
      priority: 1000,
      serviceAccount: 'old',
      tolerations,
    });
    expect(pod['status']).toEqual({ podIP: '10.1.0.7', podIPs: [{ ip: '10.1.0.7' }, { ip: 'fd00::7' }] });
  });
});

describe('withoutPodDefaults: the pull policy the API server would pick', () => {
  const policyShown = (image: unknown, imagePullPolicy: string): unknown => {
    const pod = withoutPodDefaults({ spec: { containers: [{ name: 'c', image, imagePullPolicy }] } });
    const [shown] = (pod['spec'] as { containers: Array<Record<string, unknown>> }).containers;
    return shown!['imagePullPolicy'];
  };
  const digest = `sha256:${'a'.repeat(64)}`;

  it('leaves out only the default: Always for latest or no tag, IfNotPresent for any other tag or a bare digest', () => {
    for (const [image, policy] of [
      ['nginx', 'Always'],
      ['nginx:latest', 'Always'],
      ['registry.local:5000/team/nginx', 'Always'],
      ['registry.local:5000/team/nginx:1.27', 'IfNotPresent'],
      [`nginx@${digest}`, 'IfNotPresent'],
      // the tag stays beside a digest, and decides: kube-apiserver defaults this one to Always
      [`nginx:latest@${digest}`, 'Always'],
      [`nginx:1.27@${digest}`, 'IfNotPresent'],
    ] as const) {
      expect(policyShown(image, policy), `${image} ${policy}`).toBeUndefined();
      const other = policy === 'Always' ? 'IfNotPresent' : 'Always';
      expect(policyShown(image, other), `${image} ${other}`).toBe(other);
    }
  });

  it('shows the policy of an image it cannot read surely (the API server defaults those to IfNotPresent)', () => {
    for (const image of ['Nginx', 'nginx:', 'team__x/nginx', '', undefined, 42]) {
      expect(policyShown(image, 'Always')).toBe('Always');
      expect(policyShown(image, 'IfNotPresent')).toBe('IfNotPresent');
    }
  });
});
