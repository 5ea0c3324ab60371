import * as z from 'zod';
import { anyId, field, listTool, loose, type Obj, text } from '../tool-common.js';

export const auditSchema = loose(
  {
    id: anyId,
    user_name: text,
    email: text,
    role: text,
    activity: text,
    method: text,
    endpoint: text,
    project_id: anyId,
    status: text,
    ip_address: text,
    created_at: text,
  },
  'An audit log entry',
);

const contains = (value: unknown, needle: string | undefined) =>
  !needle ||
  String(value ?? '')
    .toLowerCase()
    .includes(needle.toLowerCase());

export const auditLogList = listTool({
  name: 'audit_log_list',
  title: 'Audit log',
  description:
    'What people in your organization did, newest first: time, user, activity, endpoint, project, source IP.',
  toolset: 'audit',
  input: {
    user: z.string().optional().describe('User name or email contains'),
    activity: z.string().optional().describe('Activity or endpoint contains'),
    project_id: z.string().optional().describe('Project id'),
  },
  item: auditSchema,
  noun: 'entries',
  narrowHint: 'filter by user, activity or project_id',
  columns: [
    { header: 'time', value: (a) => field(a, 'created_at', 'time', 'timestamp') },
    { header: 'user', value: (a) => field(a, 'user_name', 'name', 'email') },
    { header: 'activity', value: (a) => field(a, 'activity', 'action'), maxWidth: 40 },
    {
      header: 'request',
      value: (a) => [field(a, 'method'), field(a, 'endpoint')].filter(Boolean).join(' '),
      maxWidth: 50,
    },
    { header: 'ip', value: (a) => field(a, 'ip_address', 'ip') },
  ],
  request: () => ({ method: 'GET', route: '/core/api/v1.1/user/activity/sp/get-auditlog' }),
  filter: (items: Obj[], input) =>
    items.filter(
      (a) =>
        (contains(field(a, 'user_name', 'name'), input.user) || contains(field(a, 'email'), input.user)) &&
        (contains(field(a, 'activity'), input.activity) || contains(field(a, 'endpoint'), input.activity)) &&
        (!input.project_id || field(a, 'project_id') === input.project_id),
    ),
});

export const auditTools = [auditLogList];
