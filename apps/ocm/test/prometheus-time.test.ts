import { ToolError } from '@cloudmcp/toolkit';
import { describe, expect, it } from 'vitest';
import {
  defaultStep,
  formatDuration,
  parseDuration,
  parseTime,
  rangeWindow,
} from '../src/prometheus/time.js';

const NOW = Date.parse('2025-06-06T12:00:00Z');

function failure(fn: () => unknown): ToolError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ToolError) return error;
    throw error;
  }
  throw new Error('expected a ToolError');
}

describe('parseDuration', () => {
  it('reads Prometheus durations and plain seconds', () => {
    expect(parseDuration('30s')).toBe(30);
    expect(parseDuration('5m')).toBe(300);
    expect(parseDuration('1h30m')).toBe(5400);
    expect(parseDuration('1d')).toBe(86_400);
    expect(parseDuration('1w')).toBe(604_800);
    expect(parseDuration('500ms')).toBe(0.5);
    expect(parseDuration('15')).toBe(15);
    expect(parseDuration('0.5')).toBe(0.5);
  });

  it('refuses what Prometheus would refuse, and zero', () => {
    for (const bad of ['', 'm5', '5 m', '30m1h', '-5m', '1.5h', '0s', '0', 'P1D']) {
      expect(parseDuration(bad), bad).toBeUndefined();
    }
  });

  it('formats back to the shortest duration', () => {
    expect(formatDuration(90)).toBe('1m30s');
    expect(formatDuration(3600)).toBe('1h');
    expect(formatDuration(0.5)).toBe('500ms');
    expect(formatDuration(90_000)).toBe('1d1h');
  });
});

describe('parseTime', () => {
  it('reads RFC 3339 with a zone, Unix seconds, now and times relative to now', () => {
    expect(parseTime('2025-06-06T00:00:00Z', 'start', NOW)).toBe(Date.parse('2025-06-06T00:00:00Z') / 1000);
    expect(parseTime('2025-06-06T02:00:00+02:00', 'start', NOW)).toBe(
      Date.parse('2025-06-06T00:00:00Z') / 1000,
    );
    expect(parseTime('1749168000', 'start', NOW)).toBe(1_749_168_000);
    expect(parseTime('now', 'end', NOW)).toBe(NOW / 1000);
    expect(parseTime('-1h', 'start', NOW)).toBe(NOW / 1000 - 3600);
    expect(parseTime('now-30m', 'start', NOW)).toBe(NOW / 1000 - 1800);
  });

  it('refuses times without a zone and anything else, naming the field', () => {
    for (const bad of ['2025-06-06T00:00:00', '2025-06-06', 'yesterday', '-1x', 'now+1h']) {
      const error = failure(() => parseTime(bad, 'start', NOW));
      expect(error.message, bad).toContain('Invalid input `start`');
    }
  });
});

describe('rangeWindow', () => {
  it('defaults to the last hour at about 120 points', () => {
    const w = rangeWindow({}, NOW);
    expect(w.end).toBe(NOW / 1000);
    expect(w.start).toBe(NOW / 1000 - 3600);
    expect(w.step).toBe(30);
    expect(w.points).toBe(121);
  });

  it('picks a step people use for longer ranges', () => {
    expect(defaultStep(86_400)).toBe(900);
    expect(defaultStep(7 * 86_400)).toBe(7200);
  });

  it('refuses start after end', () => {
    const error = failure(() => rangeWindow({ start: '-1h', end: '-2h' }, NOW));
    expect(error.message).toContain('must be before end');
  });

  it('refuses more than 11 000 points per series and says which step fits', () => {
    const error = failure(() => rangeWindow({ start: '-7d', step: '15s' }, NOW));
    expect(error.message).toContain('Invalid input `step`');
    expect(error.message).toContain('40321 points per series');
    expect(error.details.next).toContain('at least 55s');
    expect(rangeWindow({ start: '-7d', step: '55s' }, NOW).points).toBeLessThanOrEqual(11_000);
  });

  it('refuses a step that is not a duration', () => {
    const error = failure(() => rangeWindow({ step: '5 minutes' }, NOW));
    expect(error.message).toContain('is not a Prometheus duration');
  });
});
