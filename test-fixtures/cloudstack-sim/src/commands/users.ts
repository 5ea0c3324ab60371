import { State, type User } from '../state.js';
import { renderUser } from '../views.js';
import { ensureAccess, found, keywordMatch, listParams, listResult, matches, P, visible } from './common.js';
import type { CommandDef, Ctx } from './types.js';

function targetUser(ctx: Ctx): User {
  const user = found(ctx.p.ref('id', 'user'), `Unable to find user by id ${ctx.p.str('id')}`);
  ensureAccess(ctx, user.accountId, user.id);
  return user;
}

export const userCommands: CommandDef[] = [
  {
    name: 'listUsers',
    description: 'Lists user accounts',
    isList: true,
    related: ['getUserKeys', 'registerUserKeys'],
    params: listParams(
      [
        P.id('user', 'List user by ID.'),
        { name: 'username', type: 'string', description: 'List user by the username' },
        { name: 'state', type: 'string', description: 'List users by state of the user account.' },
        {
          name: 'accounttype',
          type: 'integer',
          description: 'List users by account type: 0 user, 1 root admin, 2 domain admin',
        },
      ],
      true,
    ),
    handle(ctx) {
      const { p, state } = ctx;
      const id = p.ref('id', 'user');
      const username = p.str('username');
      const st = p.str('state')?.toLowerCase();
      const type = p.int('accounttype');
      const users = state
        .all('user')
        .filter(
          (u) =>
            visible(ctx, u.accountId) &&
            matches(id, u) &&
            (username === undefined || u.username === username) &&
            (st === undefined || u.state === st) &&
            (type === undefined || state.account(u.accountId).type === type) &&
            keywordMatch(p, u.username, u.firstname, u.lastname, u.email),
        );
      return listResult(ctx, users, 'user', (u) => renderUser(state, u.id));
    },
  },
  {
    name: 'getUserKeys',
    description: 'This command allows the user to query the seceret and API keys for the account',
    since: '4.10.0',
    related: ['registerUserKeys'],
    params: [P.id('user', 'ID of the user whose keys are required', true)],
    handle(ctx) {
      const user = targetUser(ctx);
      return {
        userkeys: {
          ...(user.apiKey ? { apikey: user.apiKey, secretkey: user.secretKey } : {}),
          accounttype: ctx.state.account(user.accountId).type,
        },
      };
    },
  },
  {
    name: 'registerUserKeys',
    description:
      'This command allows a user to register for the developer API, returning a secret key and an API key. The previous keys stop working.',
    related: ['getUserKeys'],
    params: [P.id('user', 'User id', true)],
    handle(ctx) {
      const user = targetUser(ctx);
      user.apiKey = State.newKey();
      user.secretKey = State.newKey();
      return { userkeys: { apikey: user.apiKey, secretkey: user.secretKey } };
    },
  },
];
