import { selectTools } from '@cloudmcp/toolkit';
import { describe, expect, it } from 'vitest';
import { cloudekaServer, cloudekaTools } from '../src/server.js';
import { DEFAULT_TOOLSETS, TOOLSET_DESCRIPTIONS } from '../src/toolsets.js';

const TOOLSETS = [
  'profile',
  'project',
  'organization',
  'billing',
  'kubernetes',
  'vm',
  'registry',
  'notebook',
  'voucher',
  'token',
  'audit',
  'superadmin',
];

describe('the tool list', () => {
  it('has unique short names in the twelve toolsets, a few on by default, superadmin off', () => {
    const names = cloudekaTools.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(64);
      expect(name).not.toMatch(/^cldkctl/);
    }
    expect([...new Set(cloudekaTools.map((t) => t.toolset))].sort()).toEqual([...TOOLSETS].sort());
    // a session starts small (the rest are turned on with toolset_enable); every toolset says what it holds
    expect(TOOLSETS).toEqual(expect.arrayContaining([...DEFAULT_TOOLSETS]));
    expect(DEFAULT_TOOLSETS).toEqual(expect.arrayContaining(['project', 'kubernetes', 'vm']));
    expect(Object.keys(TOOLSET_DESCRIPTIONS).sort()).toEqual([...TOOLSETS].sort());
    const defaults = selectTools(
      cloudekaTools,
      { readOnly: false, disableDestructive: false, confirm: 'destructive' },
      cloudekaServer.defaultToolsets,
    );
    expect(defaults.tools.some((t) => t.toolset === 'superadmin')).toBe(false);
    expect(
      cloudekaTools.filter((t) => t.name.startsWith('superadmin_')).every((t) => t.toolset === 'superadmin'),
    ).toBe(true);
  });

  it('every destructive tool names what it will change when asking for confirmation', () => {
    const destructive = cloudekaTools.filter((t) => t.annotations.destructiveHint);
    expect(destructive.map((t) => t.name).sort()).toEqual(
      [
        'kubernetes_delete',
        'member_delete',
        'notebook_delete',
        'profile_change_password',
        'project_delete',
        'registry_artifact_tag_delete',
        'registry_label_delete',
        'registry_member_delete',
        'registry_tag_delete',
        'role_delete',
        'token_delete',
        'token_regenerate',
        'vm_delete',
      ].sort(),
    );
    for (const tool of destructive) {
      expect(tool.confirmMessage, tool.name).toBeTypeOf('function');
    }
    const vmDelete = cloudekaTools.find((t) => t.name === 'vm_delete')!;
    expect(vmDelete.confirmMessage!({ vm_id: 'vm-1' })).toBe('Delete VM vm-1 and its disks');
    // Every *_delete tool is destructive.
    for (const tool of cloudekaTools.filter((t) => t.name.endsWith('_delete'))) {
      expect(tool.annotations.destructiveHint, tool.name).toBe(true);
    }
  });
});
