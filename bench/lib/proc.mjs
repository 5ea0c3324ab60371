// Memory of a process tree from /proc (Linux only): a server started through a wrapper (the npm bin of the
// Go peer is node plus the binary) is charged for both.
import { readdirSync, readFileSync } from 'node:fs';
import { memoryKiB } from './mcp.mjs';

/** VmRSS and VmHWM (peak) summed over a process and all its descendants, in KiB. */
export function treeKiB(pid) {
  let rss = 0;
  let hwm = 0;
  const walk = (p) => {
    const m = memoryKiB(p);
    rss += m.rss;
    hwm += m.hwm;
    for (const task of readdirSafe(`/proc/${p}/task`)) {
      const children = readFileSafe(`/proc/${p}/task/${task}/children`).trim();
      for (const child of children ? children.split(/\s+/) : []) walk(Number(child));
    }
  };
  walk(pid);
  return { rss, hwm };
}

const readFileSafe = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};

const readdirSafe = (path) => {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
};
