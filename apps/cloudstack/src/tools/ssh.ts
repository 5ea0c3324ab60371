import { constants } from 'node:fs';
import { access, mkdir, open, unlink } from 'node:fs/promises';
import { dirname, isAbsolute } from 'node:path';
import { ANNOTATIONS, badInput, defineTool, pageInput, pageOutput, ToolError } from '@cloudmcp/toolkit';
import { z } from 'zod';
import { toToolError } from '../failures.js';
import { listPaged, MAX_PAGE_SIZE } from '../listing.js';
import { sshKeySchema } from '../schemas.js';
import type { Ctx } from '../tool-common.js';

const keyName = z.string().min(1).max(255).describe('Name of the SSH key pair');

export const sshKeyList = defineTool({
  name: 'ssh_key_list',
  title: 'List SSH key pairs',
  description:
    'Lists the SSH key pairs registered in CloudStack (all accounts you may see) with their fingerprints. ' +
    'Pass a name to `vm_deploy` (`ssh_key`) to install that public key in a new VM.',
  toolset: 'ssh',
  input: z.object({
    keyword: z.string().optional().describe('Only key pairs whose name contains this'),
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
  description:
    'Registers an existing SSH public key (e.g. the contents of ~/.ssh/id_ed25519.pub) under a name and ' +
    'returns the key pair with its fingerprint. Then deploy VMs with it: `vm_deploy` with `ssh_key`. Only ' +
    'ever pass a PUBLIC key; to have CloudStack make a new pair, use `ssh_key_create`.',
  toolset: 'ssh',
  input: z.object({
    name: keyName,
    public_key: z
      .string()
      .min(1)
      .describe('The OpenSSH public key line: "ssh-ed25519 AAAA… comment" or "ssh-rsa AAAA…"'),
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
  description:
    'Deletes an SSH key pair from CloudStack (asks the user to confirm first). VMs that already have the ' +
    'public key keep it; new VMs can no longer be deployed with it. Find names with `ssh_key_list`.',
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

/** Checks the target before anything is created, so a bad path never leaves a key pair behind. */
async function prepareKeyFile(path: string): Promise<void> {
  if (!isAbsolute(path)) {
    throw badInput('private_key_file', 'must be an absolute path', 'pass e.g. /home/me/.ssh/cloudstack-key');
  }
  let exists = true;
  try {
    await access(path, constants.F_OK);
  } catch {
    exists = false;
  }
  if (exists) {
    throw badInput(
      'private_key_file',
      `${path} already exists and is never overwritten`,
      'pass a path that does not exist yet',
    );
  }
  try {
    // Only what is missing is created, and only for the owner; existing directories keep their mode.
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw badInput(
      'private_key_file',
      `cannot create the directory ${dirname(path)}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      'pass a path in a directory you can write to',
    );
  }
}

/** Writes a new file only (never follows into an existing one), readable by the owner alone. */
async function writeKeyFile(path: string, privateKey: string): Promise<void> {
  const file = await open(path, 'wx', 0o600);
  try {
    await file.writeFile(privateKey.endsWith('\n') ? privateKey : `${privateKey}\n`);
  } catch (error) {
    await file.close().catch(() => {});
    await unlink(path).catch(() => {});
    throw error;
  }
  await file.close();
}

export const sshKeyCreate = defineTool({
  name: 'ssh_key_create',
  title: 'Create an SSH key pair',
  description:
    'Has CloudStack generate a new SSH key pair and writes its private key to `private_key_file` on this ' +
    'machine (mode 0600, never overwriting a file). CloudStack keeps only the public key, so this file is ' +
    'the only copy; the private key is never returned. Returns the name, fingerprint and file path. Deploy ' +
    'VMs with it via `vm_deploy` (`ssh_key`), then `ssh -i <file> user@ip`.',
  toolset: 'ssh',
  input: z.object({
    name: keyName,
    private_key_file: z
      .string()
      .min(1)
      .describe(
        'Absolute path of a NEW file for the private key; missing directories are created (mode 0700)',
      ),
  }),
  output: z.object({
    name: z.string().describe('Name of the key pair'),
    fingerprint: z.string().optional().describe('Fingerprint of the public key'),
    private_key_file: z.string().describe('Where the private key was written (mode 0600)'),
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
    const path = input.private_key_file;
    await prepareKeyFile(path);
    // Not cancellable: once CloudStack has made the pair, its private key must be saved (or the pair
    // deleted again).
    const answer = await client.call<{
      keypair?: { name?: string; fingerprint?: string; privatekey?: string };
    }>('createSSHKeyPair', { name: input.name });
    const { privatekey, fingerprint, name = input.name } = answer.keypair ?? {};
    let failure: string | undefined;
    if (!privatekey) {
      failure = 'CloudStack returned no private key';
    } else {
      try {
        await writeKeyFile(path, privatekey);
      } catch (error) {
        const err = error as NodeJS.ErrnoException;
        failure = `could not write ${path}: ${err.code ?? err.message}`;
      }
    }
    if (failure === undefined) {
      return { name, ...(fingerprint ? { fingerprint } : {}), private_key_file: path };
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
      next: 'Pass a `private_key_file` in a directory you can write to and try again.',
    });
  },
});

export const sshTools = [sshKeyList, sshKeyRegister, sshKeyCreate, sshKeyDelete];
