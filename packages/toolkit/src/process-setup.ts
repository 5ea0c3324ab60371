/**
 * Imported first by each server's bin (`import '@cloudmcp/toolkit/process-setup'`), before anything defines a
 * zod schema. zod compiles an object schema's parser when the schema is built (new Function) unless told
 * not to; a server process builds hundreds of them (the SDK's protocol schemas for both eras) and parses
 * most once or never, so the compiling costs more than it saves: about 4 % of the instructions before the
 * first tools/list. A process-wide setting, so it lives here and not in the library's own import.
 */
import { config } from 'zod';

config({ jitless: true });
