import { describe, expect, it } from 'vitest';
import { convert, formatValue, parseSample, resolveUnit } from '../src/prometheus/units.js';

describe('resolveUnit', () => {
  it('infers MiB from memory or bytes metrics and cores from cpu metrics, raw otherwise', () => {
    expect(resolveUnit('auto', 'sum by (pod) (container_memory_working_set_bytes)')).toBe('MiB');
    expect(resolveUnit('auto', 'node_filesystem_avail_bytes')).toBe('MiB');
    expect(resolveUnit('auto', 'rate(container_cpu_usage_seconds_total[5m])')).toBe('cores');
    expect(resolveUnit('auto', 'up')).toBe('raw');
  });

  it('reads metric names only, not label values or string literals', () => {
    expect(resolveUnit('auto', 'up{job="memory-cache"}')).toBe('raw');
    expect(resolveUnit('auto', "kube_pod_info{namespace='cpu-burner'}")).toBe('raw');
    expect(resolveUnit('auto', 'count(kube_pod_info) by (namespace) > 0 and on() vector(1) == 1')).toBe(
      'raw',
    );
  });

  it('keeps an explicit unit whatever the query says', () => {
    expect(resolveUnit('GiB', 'rate(container_cpu_usage_seconds_total[5m])')).toBe('GiB');
    expect(resolveUnit('millicores', 'x')).toBe('millicores');
    expect(resolveUnit('bytes', 'container_memory_working_set_bytes')).toBe('bytes');
  });
});

describe('convert', () => {
  it('divides bytes by 1024² for MiB and 1024³ for GiB, multiplies cores by 1000 for millicores', () => {
    expect(convert(268_435_456, 'MiB')).toBe(256);
    expect(convert(3_221_225_472, 'GiB')).toBe(3);
    expect(convert(1_572_864, 'MiB')).toBe(1.5);
    expect(convert(0.25, 'millicores')).toBe(250);
    expect(convert(0.25, 'cores')).toBe(0.25);
    expect(convert(123, 'bytes')).toBe(123);
    expect(convert(123, 'raw')).toBe(123);
  });
});

describe('parseSample', () => {
  it("reads Prometheus' sample strings, NaN and infinities included", () => {
    expect(parseSample('12.5')).toBe(12.5);
    expect(parseSample('1e3')).toBe(1000);
    expect(parseSample('+Inf')).toBe(Number.POSITIVE_INFINITY);
    expect(parseSample('-Inf')).toBe(Number.NEGATIVE_INFINITY);
    expect(parseSample('NaN')).toBeNaN();
    expect(parseSample('')).toBeNaN();
    expect(parseSample(undefined)).toBeNaN();
  });
});

describe('formatValue', () => {
  it('prints six significant digits without exponents for everyday magnitudes', () => {
    expect(formatValue(256)).toBe('256');
    expect(formatValue(123.456789)).toBe('123.457');
    expect(formatValue(0.000123456789)).toBe('0.000123457');
    expect(formatValue(12_345_678.9)).toBe('12345679');
    expect(formatValue(null)).toBe('NaN');
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe('+Inf');
  });
});
