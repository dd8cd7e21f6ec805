/**
 * A snapshot of a built in-memory store: its typed arrays written out as they lie in
 * memory, after a small JSON header, so a restart with an unchanged tickets file reads
 * one file instead of parsing and indexing again.
 *
 * File layout (little-endian):
 *   "MCPTSNAP" | u32 header bytes | u32 0 | header JSON | pad to 8 | arrays, each
 *   8-aligned | SHA-256 of everything before it (32 bytes)
 *
 * A snapshot is trusted only when all of these hold; otherwise the store is rebuilt
 * from the file (and the snapshot rewritten):
 * - the trailing SHA-256 matches (a truncated, torn or corrupt file fails here);
 * - the format version and byte order are this build's;
 * - it was made from this data file: same size, mtime and SHA-256 of its contents;
 * - it belongs to this user (a cache folder may be shared).
 * It is written beside its final name and renamed over it, so a reader sees a whole
 * snapshot or the previous one.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { endianness } from "node:os";
import { basename, join, resolve } from "node:path";
import type { MemoryStoreParts } from "../tickets/memoryStore.js";

/** Bump when MemoryStoreParts changes shape or meaning: older snapshots are rebuilt. */
export const SNAPSHOT_FORMAT = 2;
const MAGIC = Buffer.from("MCPTSNAP");
const HASH_BYTES = 32;

/** What identifies the data file a snapshot was made from. */
export interface DataFileKey {
  size: number;
  mtimeMs: number;
  sha256: string;
}

interface Header {
  format: number;
  endianness: string;
  data: DataFileKey;
  /** The parts, with each typed array replaced by where it lies in the file. */
  parts: unknown;
}

type Typed = Uint8Array | Uint16Array | Uint32Array | Float64Array;
const TYPES = { Uint8Array, Uint16Array, Uint32Array, Float64Array } as const;
type TypeName = keyof typeof TYPES;
interface ArrayRef {
  $array: TypeName;
  at: number;
  length: number;
}

/** Where the snapshot of `file` lives in `dir` (the name tells files of one name apart). */
export function snapshotPath(dir: string, file: string): string {
  const where = createHash("sha256").update(resolve(file)).digest("hex").slice(0, 12);
  return join(dir, `${basename(file)}.${where}.snapshot`);
}

/** The data file's size, mtime and content hash (streamed: memory stays flat). */
export async function dataFileKey(file: string): Promise<DataFileKey> {
  const before = await stat(file);
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
  return { size: before.size, mtimeMs: before.mtimeMs, sha256: hash.digest("hex") };
}

export type SnapshotRead =
  { ok: true; parts: MemoryStoreParts } | { ok: false; reason: string; missing?: boolean };

/** The store's parts from the snapshot at `path`, if it is whole and made from `key`. */
export async function readSnapshot(path: string, key: DataFileKey): Promise<SnapshotRead> {
  let bytes: Buffer;
  try {
    const info = await stat(path);
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid) {
      return { ok: false, reason: "owned by another user" };
    }
    bytes = await readFile(path);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
    return { ok: false, reason: missing ? "none yet" : (error as Error).message, missing };
  }
  const bad = (reason: string): SnapshotRead => ({ ok: false, reason });
  if (bytes.length < MAGIC.length + 8 + HASH_BYTES || !bytes.subarray(0, 8).equals(MAGIC)) {
    return bad("not a snapshot (or truncated)");
  }
  const body = bytes.subarray(0, bytes.length - HASH_BYTES);
  const stored = bytes.subarray(bytes.length - HASH_BYTES);
  if (!createHash("sha256").update(body).digest().equals(stored)) {
    return bad("checksum mismatch (truncated or corrupt)");
  }
  let header: Header;
  let payload: number;
  try {
    const length = bytes.readUInt32LE(8);
    header = JSON.parse(bytes.toString("utf8", 16, 16 + length)) as Header;
    payload = align(16 + length);
  } catch {
    return bad("unreadable header");
  }
  if (header.format !== SNAPSHOT_FORMAT)
    return bad(`format ${header.format}, not ${SNAPSHOT_FORMAT}`);
  if (header.endianness !== endianness()) return bad(`byte order ${header.endianness}`);
  const { data } = header;
  if (data.size !== key.size || data.mtimeMs !== key.mtimeMs || data.sha256 !== key.sha256) {
    return bad("made from another version of the data file");
  }
  // Views into the one buffer: no copy. Offsets are 8-aligned from the file's start.
  const aligned = bytes.byteOffset % 8 === 0 ? bytes : Buffer.from(new Uint8Array(bytes).buffer);
  try {
    const parts = decode(header.parts, aligned, payload, body.length) as MemoryStoreParts;
    return { ok: true, parts };
  } catch (error) {
    return bad((error as Error).message);
  }
}

/**
 * Writes the parts as the snapshot of the data file `key` describes: beside `path`,
 * then renamed over it. Throws on failure (the caller decides whether that matters).
 */
export async function writeSnapshot(
  path: string,
  key: DataFileKey,
  parts: MemoryStoreParts,
): Promise<number> {
  const arrays: Typed[] = [];
  const at: number[] = [];
  let offset = 0;
  // Array offsets are relative to the payload, which starts 8-aligned after the header.
  const tree = encode(parts, (array) => {
    offset = align(offset);
    at.push(offset);
    arrays.push(array);
    offset += array.byteLength;
    return at[at.length - 1]!;
  });
  const header = Buffer.from(
    JSON.stringify({ format: SNAPSHOT_FORMAT, endianness: endianness(), data: key, parts: tree }),
  );
  const start = align(16 + header.length);

  const folder = resolve(path, "..");
  await mkdir(folder, { recursive: true, mode: 0o700 });
  // A shared folder (the default is under the OS temp dir) made by someone else could be
  // used to swap files under us: write only into a folder of our own.
  const uid = process.getuid?.();
  if (uid !== undefined && (await stat(folder)).uid !== uid) {
    throw new Error(`${folder} belongs to another user`);
  }
  const temporary = `${path}.${process.pid}.tmp`;
  const hash = createHash("sha256");
  await rm(temporary, { force: true }); // left by a crash; "wx" below follows no link
  const handle = await open(temporary, "wx", 0o600);
  try {
    let written = 0;
    const put = async (chunk: Uint8Array) => {
      hash.update(chunk);
      let done = 0;
      while (done < chunk.length) {
        const { bytesWritten } = await handle.write(chunk, done, chunk.length - done);
        done += bytesWritten;
      }
      written += chunk.length;
    };
    const lead = Buffer.alloc(16);
    MAGIC.copy(lead, 0);
    lead.writeUInt32LE(header.length, 8);
    await put(lead);
    await put(header);
    for (let k = 0; k < arrays.length; k++) {
      const from = start + at[k]!;
      if (from > written) await put(Buffer.alloc(from - written));
      const array = arrays[k]!;
      await put(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    }
    await put(Buffer.alloc(align(written) - written));
    await handle.write(hash.digest());
    await handle.close();
    await rename(temporary, path);
    return written + HASH_BYTES;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}

const align = (n: number) => Math.ceil(n / 8) * 8;

/** The parts as JSON-able data, each typed array replaced by a reference from `place`. */
function encode(value: unknown, place: (array: Typed) => number): unknown {
  if (ArrayBuffer.isView(value)) {
    const array = value as Typed;
    const name = array.constructor.name as TypeName;
    if (!(name in TYPES)) throw new Error(`cannot snapshot a ${name}`);
    return { $array: name, at: place(array), length: array.length } satisfies ArrayRef;
  }
  if (Array.isArray(value)) return value.map((v) => encode(v, place));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v, place)]));
  }
  return value;
}

/** The tree with each array reference replaced by a view into `bytes` (no copy). */
function decode(tree: unknown, bytes: Buffer, payload: number, end: number): unknown {
  if (Array.isArray(tree)) return tree.map((v) => decode(v, bytes, payload, end));
  if (tree !== null && typeof tree === "object") {
    if ("$array" in tree) {
      const { $array, at, length } = tree as ArrayRef;
      const Type = TYPES[$array];
      if (Type === undefined) throw new Error(`unknown array type ${String($array)}`);
      const size = length * Type.BYTES_PER_ELEMENT;
      const from = payload + at;
      if (!Number.isSafeInteger(from) || from % 8 !== 0 || from + size > end) {
        throw new Error("array out of bounds");
      }
      return new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + from, length);
    }
    return Object.fromEntries(
      Object.entries(tree).map(([k, v]) => [k, decode(v, bytes, payload, end)]),
    );
  }
  return tree;
}
