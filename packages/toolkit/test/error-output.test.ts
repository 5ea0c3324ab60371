import { describe, expect, it } from 'vitest';
import { ToolError, toErrorResult } from '../src/index.js';

// A failed command still says everything it printed: stdout, stderr and the exit code, together.
describe('a ToolError carrying the output of the failed call', () => {
  it('shows the output in full under the error lines and as structuredContent', () => {
    const structured = { exit_code: 1, stdout: 'line one\nline two', stderr: 'boom' };
    const result = toErrorResult(
      new ToolError('`kubectl get x` failed (exit status 1).', {
        upstreamMessage: 'boom',
        next: 'Read the output.',
        output: { structured, text: 'line one\nline two\n[stderr]\nboom' },
      }),
      'kubectl',
    );
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toBe(
      'Error: `kubectl get x` failed (exit status 1).\nUpstream: boom\nNext: Read the output.\n' +
        'line one\nline two\n[stderr]\nboom',
    );
    expect(result['structuredContent']).toEqual(structured);
  });

  it('redacts credentials in the output text like every error text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const result = toErrorResult(
      new ToolError('failed.', { output: { structured: {}, text: `token: ${jwt}` } }),
      't',
    );
    expect(result.content[0]!.text).not.toContain(jwt);
  });

  it('adds no structuredContent without output', () => {
    expect(toErrorResult(new ToolError('failed.'), 't')['structuredContent']).toBeUndefined();
  });
});
