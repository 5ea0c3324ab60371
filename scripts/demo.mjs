#!/usr/bin/env node
import { build } from './demo/build.mjs';
// `pnpm demo`: builds what is not built yet (one line per package), then, for each server, starts its
// bundled simulator, connects a real MCP client (the SDK's) to the built server over stdio, and plays a
// short scripted session, printing what an assistant would see.
//   pnpm demo [scene…]      (scenes: cloudstack cloudeka kubernetes oke ocm)
import * as cloudeka from './demo/cloudeka.mjs';
import * as cloudstack from './demo/cloudstack.mjs';
import * as kubernetes from './demo/kubernetes.mjs';
import * as ocm from './demo/ocm.mjs';
import * as oke from './demo/oke.mjs';
import { done, heading, say } from './demo/session.mjs';

const scenes = {
  cloudstack: [cloudstack.title, cloudstack.cloudstackScene],
  cloudeka: [cloudeka.title, cloudeka.cloudekaScene],
  kubernetes: [kubernetes.title, kubernetes.kubernetesScene],
  oke: [oke.title, oke.okeScene],
  ocm: [ocm.title, ocm.ocmScene],
};
const wanted = process.argv.slice(2);
const names = wanted.length ? wanted : Object.keys(scenes);
for (const name of names) {
  if (!scenes[name]) throw new Error(`no demo scene "${name}"; scenes: ${Object.keys(scenes).join(', ')}`);
}

await build();
for (const [i, name] of names.entries()) {
  const [title, scene] = scenes[name];
  heading(`Scene ${i + 1} of ${names.length}: ${title}`);
  say('Everything below runs on this machine: the cloud is a simulator, the client is the MCP SDK’s.');
  await scene();
}
done(
  'Demo finished. Try a server yourself: pnpm --filter cloudstack-sim start (or cloudeka-sim, kube-sim, oci-sim, ocm-sim)',
);
