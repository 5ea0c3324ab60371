import { authenticate } from './auth.js';
import { checkPaging, projectScope } from './commands/common.js';
import { COMMANDS, COMMANDS_BY_NAME } from './commands/index.js';
import type { Caller, CommandDef } from './commands/types.js';
import { type ApiReply, type ApiRequest, documentReply, type Engine, errorReply } from './engine.js';
import { ApiError, Code, CsCode, errorBody, USER_ERROR_MESSAGE } from './errors.js';
import { login, logout } from './login.js';
import { processParams } from './params.js';

/** `<command lower-cased>response` for known commands, `errorresponse` otherwise. */
export function responseName(command: string | undefined): string {
  return command !== undefined && COMMANDS_BY_NAME.has(command)
    ? `${command.toLowerCase()}response`
    : 'errorresponse';
}

function run(
  engine: Engine,
  caller: Caller,
  def: CommandDef,
  raw: Map<string, string>,
): Record<string, unknown> {
  // ParamUnpackWorker lower-cases parameter names before the command sees them.
  const lower = new Map<string, string>();
  for (const [name, value] of raw) lower.set(name.toLowerCase(), value);
  const p = processParams(def.name, def.params, lower, engine.state);
  if (def.isList) checkPaging(p);
  const project = projectScope(caller, p);
  return def.handle({ state: engine.state, jobs: engine.jobs, caller, p, project, commands: COMMANDS });
}

/** The /client/api request path after transport concerns: authenticate, dispatch, serialise. */
export function handleApi(engine: Engine, req: ApiRequest): ApiReply {
  const command = req.params.get('command');
  if (command === 'login') return login(engine, req);
  if (command === 'logout') return logout(engine, req);
  let caller: Caller | undefined;
  try {
    caller = authenticate(engine, req, command);
    const def = COMMANDS_BY_NAME.get(command!)!;
    return documentReply(200, { [responseName(command)]: run(engine, caller, def, req.params) });
  } catch (err) {
    // Unexpected failures: ApiServer.handleRequest hides the message from non-admins.
    const apiErr =
      err instanceof ApiError
        ? err
        : new ApiError(
            Code.INTERNAL_ERROR,
            caller?.isAdmin ? (err as Error).message : USER_ERROR_MESSAGE,
            CsCode.SERVER_API,
          );
    const name = apiErr.responseName ?? responseName(command);
    return errorReply(apiErr.errorcode, errorBody(name, apiErr), apiErr.message);
  }
}
