import { randomUUID } from 'node:crypto';
import { invalidValue } from '../errors.js';
import { fingerprint, generateRsaKeyPair, parsePublicKey } from '../sshkey.js';
import { ROOT_DOMAIN, type SshKeyPair } from '../state.js';
import { keywordMatch, listParams, listResult, nameMatch, P, visible } from './common.js';
import type { CommandDef, Ctx } from './types.js';

function render(ctx: Ctx, k: SshKeyPair, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: k.id,
    ...extra,
    name: k.name,
    account: ctx.state.account(k.accountId).name,
    domainid: ctx.state.domainId,
    domain: ROOT_DOMAIN.name,
    fingerprint: k.fingerprint,
  };
}

function ensureNewName(ctx: Ctx, name: string): void {
  if (ctx.state.sshKeyPairs.some((k) => k.name === name && k.accountId === ctx.caller.account.id)) {
    throw invalidValue(`A key pair with name '${name}' already exists.`);
  }
}

function addKey(ctx: Ctx, name: string, blob: Buffer): SshKeyPair {
  const key = { id: randomUUID(), name, accountId: ctx.caller.account.id, fingerprint: fingerprint(blob) };
  ctx.state.sshKeyPairs.push(key);
  return key;
}

const nameParam = { name: 'name', type: 'string', required: true } as const;

export const sshKeyCommands: CommandDef[] = [
  {
    name: 'listSSHKeyPairs',
    description: 'List registered keypairs',
    isList: true,
    related: ['createSSHKeyPair', 'registerSSHKeyPair', 'deleteSSHKeyPair'],
    params: listParams(
      [
        P.projectid(),
        { name: 'id', type: 'string', description: 'the ID of the ssh keypair' },
        { name: 'name', type: 'string', description: 'A key pair name to look for' },
        { name: 'fingerprint', type: 'string', description: 'A public key fingerprint to look for' },
      ],
      true,
    ),
    handle(ctx) {
      const { p } = ctx;
      const id = p.str('id');
      const fp = p.str('fingerprint');
      const keys = ctx.state.sshKeyPairs.filter(
        (k) =>
          visible(ctx, k.accountId) &&
          (id === undefined || k.id === id) &&
          (fp === undefined || k.fingerprint === fp) &&
          nameMatch(p, k.name) &&
          keywordMatch(p, k.name),
      );
      return listResult(ctx, keys, 'sshkeypair', (k) => render(ctx, k));
    },
  },
  {
    name: 'createSSHKeyPair',
    description: 'Create a new keypair and returns the private key',
    related: ['listSSHKeyPairs'],
    params: [{ ...nameParam, description: 'Name of the keypair' }],
    handle(ctx) {
      const name = ctx.p.str('name')!;
      ensureNewName(ctx, name);
      const { privateKey, blob } = generateRsaKeyPair();
      return { keypair: render(ctx, addKey(ctx, name, blob), { privatekey: privateKey }) };
    },
  },
  {
    name: 'registerSSHKeyPair',
    description: 'Register a public key in a keypair under a certain name',
    related: ['listSSHKeyPairs'],
    params: [
      { ...nameParam, description: 'Name of the keypair' },
      {
        name: 'publickey',
        type: 'string',
        required: true,
        length: 5120,
        description: 'Public key material of the keypair',
      },
    ],
    handle(ctx) {
      const name = ctx.p.str('name')!;
      const publicKey = ctx.p.str('publickey')!;
      ensureNewName(ctx, name);
      const blob = parsePublicKey(publicKey);
      if (!blob) throw invalidValue('Public key is invalid');
      const fp = fingerprint(blob);
      if (ctx.state.sshKeyPairs.some((k) => k.fingerprint === fp && k.accountId === ctx.caller.account.id)) {
        throw invalidValue(`A key pair with key '${publicKey}' already exists.`);
      }
      return { keypair: render(ctx, addKey(ctx, name, blob)) };
    },
  },
  {
    name: 'deleteSSHKeyPair',
    description: 'Deletes a keypair by name',
    related: ['listSSHKeyPairs'],
    params: [{ ...nameParam, description: 'Name of the keypair' }],
    handle(ctx) {
      const name = ctx.p.str('name')!;
      const { sshKeyPairs } = ctx.state;
      const i = sshKeyPairs.findIndex((k) => k.name === name && k.accountId === ctx.caller.account.id);
      if (i < 0) {
        throw invalidValue(
          `A key pair with name '${name}' does not exist for account ${ctx.caller.account.name} in specified domain id`,
        );
      }
      sshKeyPairs.splice(i, 1);
      return { success: true };
    },
  },
];
