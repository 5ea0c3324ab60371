/**
 * The conditions a healthy kubelet reports on its Node, as `kubectl describe node` shows them: no memory,
 * disk or PID pressure, and Ready. `heartbeat` and `since` are RFC 3339 times.
 */
export function healthyNodeConditions(heartbeat: string, since: string): Array<Record<string, string>> {
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: since,
    reason,
    message,
  });
  return [
    cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}
