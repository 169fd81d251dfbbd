/** Process groups, for tests that check a killed browser's helpers went with it. */
import { allProcesses } from '../../double/processes';

/** Pids of the group's members that still run. */
export function runningInGroup(processGroup: number): number[] {
  return allProcesses()
    .filter((p) => p.processGroup === processGroup && p.state !== 'Z')
    .map((p) => p.pid);
}
