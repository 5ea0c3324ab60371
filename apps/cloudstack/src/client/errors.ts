/** An error CloudStack reported: its own errorcode, cserrorcode and errortext, verbatim. */
export class CloudStackError extends Error {
  override name = 'CloudStackError';

  constructor(
    readonly command: string,
    readonly errorcode: number,
    readonly errortext: string,
    readonly cserrorcode?: number,
    /** Set when the error came from a finished async job rather than the HTTP call. */
    readonly jobId?: string,
  ) {
    super(`${command}: ${errorcode} ${errortext}`);
  }
}

/** What to try next for each CloudStack error code. */
export function nextStepFor(error: CloudStackError): string | undefined {
  switch (error.errorcode) {
    case 401:
      return 'Check CLOUDSTACK_API_KEY and CLOUDSTACK_SECRET_KEY (or the username/password) and that the user is enabled.';
    case 431:
    case 430:
      return 'Fix the argument the message names; list valid ids with the matching *_list tool.';
    case 432:
      return "This command is not available to your account's role; see which are with `api_list`.";
    case 429:
      return 'CloudStack is rate-limiting this account; wait a little and try again.';
    case 531:
      return 'Check the username, password and domain.';
    case 532:
      return 'The account hit a resource limit; free resources or ask an admin to raise the limit.';
    case 533:
      return 'Not enough capacity; try another zone or a smaller service offering.';
    case 530:
      return 'CloudStack failed while doing it; the message says why. Check the resource, then try again or ask an admin.';
    case 536:
      return 'The resource is in use; detach or stop what uses it first.';
    default:
      return undefined;
  }
}
