/**
 * What the figures were measured on. Load times depend on the CPU and Node
 * version far more than on anything in the repository, so every report and
 * JSON result carries them.
 */
import { availableParallelism, cpus, totalmem, platform, arch, release } from "node:os";

export interface MachineInfo {
  node: string;
  platform: string;
  cpuModel: string;
  cpus: number;
  memoryBytes: number;
}

export function machineInfo(): MachineInfo {
  const cores = cpus();
  return {
    node: process.version,
    platform: `${platform()} ${release()} ${arch()}`,
    cpuModel: cores[0]?.model.trim() ?? "unknown",
    cpus: availableParallelism(),
    memoryBytes: totalmem(),
  };
}

export function describeMachine(info: MachineInfo): string[] {
  const gib = (info.memoryBytes / 1024 ** 3).toFixed(1);
  return [`Node ${info.node} on ${info.platform}`, `${info.cpus} CPUs (${info.cpuModel}), ${gib} GiB memory`];
}
