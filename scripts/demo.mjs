#!/usr/bin/env node
// `pnpm demo`: for each server, starts its bundled simulator, connects a real MCP client (the SDK's) to
// the built server over stdio, and plays a short scripted session, printing what an assistant would see.
import { cloudekaScene } from './demo/cloudeka.mjs';
import { cloudstackScene } from './demo/cloudstack.mjs';
import { kubernetesScene } from './demo/kubernetes.mjs';
import { ocmScene } from './demo/ocm.mjs';
import { okeScene } from './demo/oke.mjs';
import { done } from './demo/session.mjs';

const scenes = {
  cloudstack: cloudstackScene,
  cloudeka: cloudekaScene,
  kubernetes: kubernetesScene,
  oke: okeScene,
  ocm: ocmScene,
};
const wanted = process.argv.slice(2);
for (const name of wanted.length ? wanted : Object.keys(scenes)) {
  const scene = scenes[name];
  if (!scene) throw new Error(`no demo scene "${name}"; scenes: ${Object.keys(scenes).join(', ')}`);
  await scene();
}
done(
  'Demo finished. Try a server yourself: pnpm --filter cloudstack-sim start (or cloudeka-sim, kube-sim, oci-sim, ocm-sim)',
);
