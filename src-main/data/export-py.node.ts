// Node-only: writes an exported PyTorch script (and its data sidecar, when the data is large)
// to disk. Used by the train CLI's --export-py FILE and by Electron's "Export PyTorch script".
import { writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { TrainConfig } from '../contract/messages';
import { exportPyTorchScript, type PyTorchExportOptions } from './export';

export interface WrittenExport {
  scriptPath: string;
  /** The sidecar's path, or null when the data is inline. */
  sidecarPath: string | null;
}

/**
 * Writes the script to `scriptPath`; large data goes to "<script name>.data.npy" beside it
 * (the script loads it from its own folder, so keep the two files together).
 */
export function writePyTorchExport(scriptPath: string, config: TrainConfig, opts: PyTorchExportOptions = {}): WrittenExport {
  const format = opts.sidecarFormat ?? 'npy';
  const stem = basename(scriptPath, extname(scriptPath));
  const { script, sidecar } = exportPyTorchScript(config, { sidecarName: `${stem}.data.${format}`, ...opts });
  let sidecarPath: string | null = null;
  if (sidecar) {
    sidecarPath = join(dirname(scriptPath), sidecar.fileName);
    writeFileSync(sidecarPath, sidecar.bytes);
  }
  writeFileSync(scriptPath, script);
  return { scriptPath, sidecarPath };
}
