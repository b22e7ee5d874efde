// A ConfigMap volume as the kubelet keeps it, for tests (kwok's nodes mount no volumes): the
// same filesystem operations in the same order as the kubelet's AtomicWriter
// (kubernetes/kubernetes pkg/volume/util/atomic_writer.go).
//
//   <dir>/<key>        -> ..data/<key>                   (one symlink per key, made once)
//   <dir>/..data       -> ..2026_12_03_21_30_00.123456   (the swap point)
//   <dir>/..2026_12_03_21_30_00.123456/<key>             (the real files)
//
// An update: read where ..data points; if every key's content is already there and no key
// went away, do nothing at all; else make a new `..<UTC timestamp>.<random>` directory (0755),
// write every file into it, create the symlink `..data_tmp` to it, rename `..data_tmp` over
// `..data` (the one atomic step), create the symlinks of new keys, remove the symlinks of keys
// that went away, and remove the old timestamped directory.
import {
  chmodSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';

const DATA = '..data';
const DATA_TMP = '..data_tmp';

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function currentTimestampDir(dir: string): string | undefined {
  try {
    return readlinkSync(join(dir, DATA));
  } catch {
    return undefined;
  }
}

const p = (n: number) => String(n).padStart(2, '0');

/** `..2006_01_02_15_04_05.` as the kubelet formats the prefix, in UTC. */
function timestampPrefix(now: Date): string {
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.`;
}

function unchanged(dir: string, old: string, payload: Record<string, string>): boolean {
  const present = readdirSync(join(dir, old));
  if (present.some((key) => !(key in payload))) return false;
  return Object.entries(payload).every(([key, text]) => exists(join(dir, old, key)) && readFileSync(join(dir, old, key), 'utf8') === text);
}

/** One AtomicWriter.Write of a flat ConfigMap payload (key → text); false when nothing needed writing. */
export function kubeletWrite(dir: string, payload: Record<string, string>, now = new Date()): boolean {
  const old = currentTimestampDir(dir);
  const removed = old ? readdirSync(join(dir, old)).filter((key) => !(key in payload)) : [];
  if (old && unchanged(dir, old, payload)) return false;
  const tsDir = mkdtempSync(join(dir, timestampPrefix(now)));
  chmodSync(tsDir, 0o755);
  for (const [key, text] of Object.entries(payload)) {
    writeFileSync(join(tsDir, key), text, { mode: 0o644 });
    chmodSync(join(tsDir, key), 0o644);
  }
  symlinkSync(basename(tsDir), join(dir, DATA_TMP));
  renameSync(join(dir, DATA_TMP), join(dir, DATA));
  for (const key of Object.keys(payload)) if (!exists(join(dir, key))) symlinkSync(join(DATA, key), join(dir, key));
  for (const key of removed) unlinkSync(join(dir, key));
  if (old) rmSync(join(dir, old), { recursive: true, force: true });
  return true;
}

/** Every entry of the volume removed, as when the volume is torn down and mounted again. */
export function clearVolume(dir: string): void {
  for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
}
