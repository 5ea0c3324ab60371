import { ANNOTATIONS, badInput, defineTool, pageInput, pageOutput, ToolError } from '@cloudmcp/toolkit';
import * as z from 'zod';
import { toToolError } from '../failures.js';
import { keyFileName, reserveKeyFile } from '../key-dir.js';
import { listPaged, MAX_PAGE_SIZE } from '../listing.js';
import { keywordInput, nonEmptyText, sshKeySchema } from '../schemas.js';
import type { Ctx } from '../tool-common.js';

const keyName = nonEmptyText().max(255).describe('Key pair name');

export const sshKeyList = defineTool({
  name: 'ssh_key_list',
  title: 'List SSH key pairs',
  description: 'SSH key pairs with fingerprints.',
  toolset: 'ssh',
  input: z.object({
    keyword: keywordInput,
    ...pageInput({ defaultLimit: 100, maxLimit: MAX_PAGE_SIZE }),
  }),
  output: z.object(pageOutput(sshKeySchema)),
  annotations: ANNOTATIONS.read,
  render: {
    kind: 'list',
    noun: 'SSH key pairs',
    narrowHint: 'filter by keyword',
    columns: [
      { header: 'name', value: (k) => k.name },
      { header: 'fingerprint', value: (k) => k.fingerprint },
      { header: 'account', value: (k) => k.account },
    ],
  },
  async handler(input, ctx: Ctx) {
    return listPaged(
      ctx.deps.client,
      {
        command: 'listSSHKeyPairs',
        itemKey: 'sshkeypair',
        params: { listall: true, keyword: input.keyword },
        limit: input.limit,
        cursor: input.cursor,
      },
      { signal: ctx.signal },
    ) as never;
  },
});

export const sshKeyRegister = defineTool({
  name: 'ssh_key_register',
  title: 'Register an SSH public key',
  description: 'Registers an existing SSH public key under a name.',
  toolset: 'ssh',
  input: z.object({
    name: keyName,
    public_key: nonEmptyText().describe('OpenSSH public key line (never a private key)'),
  }),
  output: z.object({ key: sshKeySchema }),
  annotations: ANNOTATIONS.change,
  render: { kind: 'object', select: (out) => out.key },
  async handler(input, ctx: Ctx) {
    if (/PRIVATE KEY/.test(input.public_key)) {
      throw badInput(
        'public_key',
        'this is a private key; nothing was sent',
        'pass the public key (the .pub file); never share the private key',
      );
    }
    const answer = await ctx.deps.client.call<{ keypair?: z.input<typeof sshKeySchema> }>(
      'registerSSHKeyPair',
      { name: input.name, publickey: input.public_key.trim() },
      { signal: ctx.signal },
    );
    return { key: answer.keypair ?? { name: input.name } };
  },
});

export const sshKeyDelete = defineTool({
  name: 'ssh_key_delete',
  title: 'Delete an SSH key pair',
  description: 'Deletes an SSH key pair; VMs that have the key keep it.',
  toolset: 'ssh',
  input: z.object({ name: keyName }),
  output: z.object({
    name: z.string().describe('The deleted key pair'),
    deleted: z.boolean().describe('true when CloudStack reported success'),
  }),
  annotations: ANNOTATIONS.destroy,
  render: { kind: 'text', text: (out) => `Deleted SSH key pair ${out.name}.` },
  confirmMessage: (input) => `Delete SSH key pair ${input.name}`,
  async handler(input, ctx: Ctx) {
    const answer = await ctx.deps.client.call<{ success?: boolean | string; displaytext?: string }>(
      'deleteSSHKeyPair',
      { name: input.name },
      { signal: ctx.signal },
    );
    if (String(answer.success) !== 'true') {
      throw new ToolError(`CloudStack did not confirm deleting SSH key pair ${input.name}.`, {
        ...(answer.displaytext ? { upstreamMessage: answer.displaytext } : {}),
        next: 'Check with `ssh_key_list` whether it still exists.',
      });
    }
    return { name: input.name, deleted: true };
  },
});

export const sshKeyCreate = defineTool({
  name: 'ssh_key_create',
  title: 'Create an SSH key pair',
  description:
    'CloudStack makes a key pair; the private key (the only copy, never returned) goes to a new 0600 ' +
    'file in the operator’s key directory. Returns its path. No key directory (HTTP): `ssh_key_register`.',
  toolset: 'ssh',
  input: z.object({
    name: keyName,
    private_key_file: keyFileName.describe('New file name in the key directory'),
  }),
  output: z.object({
    name: z.string().describe('Name of the key pair'),
    fingerprint: z.string().optional().describe('Fingerprint of the public key'),
    private_key_file: z.string().describe('Full path where the private key was written (mode 0600)'),
  }),
  annotations: ANNOTATIONS.create,
  render: {
    kind: 'text',
    text: (out) =>
      `Created SSH key pair ${out.name}${out.fingerprint ? ` (fingerprint ${out.fingerprint})` : ''}; ` +
      `its private key is in ${out.private_key_file} (mode 0600), the only copy.`,
  },
  async handler(input, ctx: Ctx) {
    const { client } = ctx.deps;
    // The file is created first: a bad name, a taken name or an unusable directory asks CloudStack nothing.
    const file = await reserveKeyFile(ctx.deps.sshKeyDir, input.private_key_file);
    // Not cancellable: once CloudStack has made the pair, its private key must be saved (or the pair
    // deleted again).
    let answer: { keypair?: { name?: string; fingerprint?: string; privatekey?: string } };
    try {
      answer = await client.call('createSSHKeyPair', { name: input.name });
    } catch (error) {
      await file.discard();
      throw error;
    }
    const { privatekey, fingerprint, name = input.name } = answer.keypair ?? {};
    let failure: string | undefined;
    if (!privatekey) {
      failure = 'CloudStack returned no private key';
      await file.discard();
    } else {
      try {
        await file.write(privatekey);
      } catch (error) {
        failure = `could not write the key file (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
      }
    }
    if (failure === undefined) {
      return { name, ...(fingerprint ? { fingerprint } : {}), private_key_file: file.path };
    }
    // A key pair whose private key is lost is useless: delete it again (even if this call was cancelled).
    try {
      await client.call('deleteSSHKeyPair', { name });
    } catch (error) {
      const mapped = toToolError(error);
      const why =
        mapped instanceof ToolError ? (mapped.details.upstreamMessage ?? mapped.message) : String(error);
      ctx.log.warn('ssh_key_create: could not delete the key pair after failing to save its private key', {
        name,
        error: why,
      });
      throw new ToolError(
        `Created SSH key pair ${name} but ${failure}, and deleting the pair again failed too.`,
        {
          upstreamMessage: why,
          next: `Delete it with \`ssh_key_delete\` (name: "${name}"), then try again.`,
        },
      );
    }
    throw new ToolError(`Did not create SSH key pair ${name}: ${failure}; the new pair was deleted again.`, {
      next: 'Try again; if it keeps failing, ask the operator to check the key directory.',
    });
  },
});

export const sshTools = [sshKeyList, sshKeyRegister, sshKeyCreate, sshKeyDelete];
