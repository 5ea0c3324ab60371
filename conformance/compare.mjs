// Judges one run (one server, one era) against that era's baseline in expected.json.
//
// A baseline maps each scenario to "pass", or to { "fail": "<why, one line>", "checks": [ids] }: the
// scenario may fail, but only on those checks. `"servers": [names]` narrows a failure to those servers;
// on the others the scenario must pass. A scenario that fails on different checks on different servers
// maps to a list of such failures, each narrowed to its servers. Everything else is a problem, and a
// problem fails the run:
//   regressed   expected to pass, failed
//   new check   failed on a check its entry does not list
//   fixed       expected to fail, passed: update its entry (a stale baseline hides the next regression)
//   unlisted    ran, but expected.json does not name it (e.g. a newer suite added it)
//   missing     named in expected.json, but the suite did not run it (it crashed, or renamed it)
// An era with no baseline at all (not yet re-baselined after a migration) fails as a whole.

/** The checks of a scenario that failed (the suite's own rule: a scenario passes with no FAILURE). */
export function failingChecks(checks) {
  return checks.filter((check) => check.status === 'FAILURE');
}

/** A baseline entry's shape problem, or undefined when it is well formed. */
function malformed(entry) {
  if (entry === 'pass') return undefined;
  if (Array.isArray(entry)) return malformedList(entry);
  if (typeof entry?.fail !== 'string' || entry.fail.trim() === '' || /^TODO\b/.test(entry.fail)) {
    return 'a failure needs a one-line reason';
  }
  if (!Array.isArray(entry.checks) || entry.checks.length === 0)
    return 'a failure needs the checks it may fail';
  if (entry.servers !== undefined && !Array.isArray(entry.servers))
    return '"servers" must be a list of names';
  return undefined;
}

/** A list of failures: each must be well formed and name its servers, and no server may be named twice. */
function malformedList(entries) {
  if (entries.length === 0) return 'a list of failures needs at least one';
  for (const entry of entries) {
    if (entry === 'pass' || Array.isArray(entry)) return 'a list holds failures only';
    if (entry?.servers === undefined) return 'each failure of a list names its servers';
    const shape = malformed(entry);
    if (shape) return shape;
  }
  const named = entries.flatMap((entry) => entry.servers);
  if (new Set(named).size !== named.length) return 'a server is named by two failures of a list';
  return undefined;
}

/** The part of a well-formed entry that applies to `server`: a list's failure naming it, else "pass". */
function entryFor(entry, server) {
  if (!Array.isArray(entry)) return entry;
  return entry.find((failure) => failure.servers.includes(server)) ?? 'pass';
}

function describe(checks) {
  return checks.map((c) => (c.errorMessage ? `${c.id} (${c.errorMessage.slice(0, 120)})` : c.id)).join('; ');
}

/**
 * Compares the scenarios of one run (scenario → checks) of `server` with an era's baseline
 * (scenario → entry, or undefined when the era has none). Returns the counts and one line per problem.
 */
export function compare(scenarios, baseline, server) {
  const counts = { passed: 0, expectedFailures: 0, problems: 0 };
  const problems = [];
  const problem = (scenario, line) => {
    counts.problems++;
    problems.push(`${scenario}: ${line}`);
  };
  if (baseline === undefined) {
    const failing = [...scenarios]
      .filter(([, checks]) => failingChecks(checks).length > 0)
      .map(([name]) => name);
    counts.problems = scenarios.size;
    problems.push(
      `no baseline for this era in expected.json: ${scenarios.size - failing.length} pass, ` +
        `${failing.length} fail (${failing.join(', ')})`,
    );
    return { counts, problems };
  }
  for (const [scenario, checks] of scenarios) {
    const shape = baseline[scenario] === undefined ? undefined : malformed(baseline[scenario]);
    const entry = shape ? baseline[scenario] : entryFor(baseline[scenario], server);
    const failing = failingChecks(checks);
    const expectFail = entry !== 'pass' && (entry?.servers === undefined || entry.servers.includes(server));
    if (entry === undefined) {
      problem(
        scenario,
        `unlisted in expected.json (${failing.length ? `fails: ${describe(failing)}` : 'passes'})`,
      );
    } else if (shape) {
      problem(scenario, `bad entry in expected.json: ${shape}`);
    } else if (!expectFail) {
      if (failing.length === 0) counts.passed++;
      else problem(scenario, `regressed: ${describe(failing)}`);
    } else if (failing.length === 0) {
      problem(scenario, `fixed: it passes now; update its entry in expected.json (was: ${entry.fail})`);
    } else {
      const unexplained = failing.filter((check) => !entry.checks.includes(check.id));
      if (unexplained.length === 0) counts.expectedFailures++;
      else problem(scenario, `new check fails: ${describe(unexplained)}`);
    }
  }
  for (const scenario of Object.keys(baseline)) {
    if (!scenarios.has(scenario))
      problem(scenario, 'missing: in expected.json, but the suite did not run it');
  }
  return { counts, problems };
}
