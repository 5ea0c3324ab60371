import { describe, expect, it } from 'vitest';
import { ToolError, toErrorResult, UpstreamError } from '../src/index.js';

const text = (r: { content: Array<{ text: string }> }) => r.content[0]!.text;

function upstream(kind: 'network' | 'timeout', idempotent: boolean): UpstreamError {
  const error = new UpstreamError(kind, 'POST https://api.example/v1/things failed: ECONNRESET', {
    attempts: 1,
    causeCode: 'ECONNRESET',
  });
  error.idempotent = idempotent;
  return error;
}

describe('error results', () => {
  it('a change cut off in transit is an unknown outcome, never a plain "unreachable"', () => {
    expect(text(toErrorResult(upstream('network', false), 'thing_create'))).toBe(
      'Error: The connection failed while sending a change; it may or may not have been applied.\n' +
        'Upstream: ECONNRESET\n' +
        'Next: Check the resource (or the job list) before trying again; the server never re-sends changes itself.',
    );
    expect(text(toErrorResult(upstream('timeout', false), 'thing_create'))).toMatch(
      /^Error: The upstream API did not answer in time while a change was being sent; it may or may not/,
    );
  });

  it('a read that could not reach the upstream says so', () => {
    expect(text(toErrorResult(upstream('network', true), 'thing_list'))).toMatch(
      /^Error: Could not reach the upstream API\.\nUpstream: ECONNRESET /,
    );
  });

  it('an unexpected exception is reported as a bug, in one line, redacted', () => {
    const result = toErrorResult(
      new Error('boom\nwith token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'),
      'x_get',
    );
    expect(text(result)).not.toContain('eyJhbGciOiJIUzI1NiJ9');
    expect(text(result).split('\n')[0]).toMatch(/^Error: x_get failed unexpectedly: boom with token=/);
  });

  it('keeps a ToolError as it is', () => {
    expect(text(toErrorResult(new ToolError('No such thing.', { next: 'list them' }), 'x'))).toBe(
      'Error: No such thing.\nNext: list them',
    );
  });
});
