import type { FileHandle } from 'node:fs/promises';

/**
 * What an uploaded file's bytes say it is: an ISO-BMFF (MP4) file with a video track coded in H.264 (`avc1`/`avc3`
 * sample entries), and its duration from the movie header. The name and the Content-Type a client sends are not
 * evidence. Only the box headers and the `moov` box are read, never the media data.
 */

export interface Mp4Info {
  seconds: number;
  codec: 'avc1' | 'avc3';
}

/** The first box of every MP4 file is `ftyp`, with the type at bytes 4..8. */
export const looksLikeMp4 = (head: Buffer) => head.length >= 12 && head.toString('latin1', 4, 8) === 'ftyp';

/** `moov` is small (tables of the samples); anything bigger is not a file we made sense of. */
const MOOV_MAX = 32 * 1024 * 1024;
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl']);

interface Box {
  type: string;
  start: number;
  headerSize: number;
  size: number;
}

function boxAt(buf: Buffer, at: number, end: number): Box | null {
  if (at + 8 > end) return null;
  let size = buf.readUInt32BE(at);
  const type = buf.toString('latin1', at + 4, at + 8);
  let headerSize = 8;
  if (size === 1) {
    if (at + 16 > end) return null;
    size = Number(buf.readBigUInt64BE(at + 8));
    headerSize = 16;
  } else if (size === 0) size = end - at;
  if (size < headerSize || at + size > end) return null;
  return { type, start: at, headerSize, size };
}

function* children(buf: Buffer, from: number, end: number): Generator<Box> {
  let at = from;
  for (let box = boxAt(buf, at, end); box; box = boxAt(buf, at, end)) {
    yield box;
    at += box.size;
  }
}

function movieSeconds(buf: Buffer, mvhd: Box): number | null {
  const at = mvhd.start + mvhd.headerSize;
  const version = buf[at];
  if (version === 1) {
    const scale = buf.readUInt32BE(at + 20);
    return scale ? Number(buf.readBigUInt64BE(at + 24)) / scale : null;
  }
  const scale = buf.readUInt32BE(at + 12);
  return scale ? buf.readUInt32BE(at + 16) / scale : null;
}

/** The sample entry types of every `stsd` in the movie (each track has one). */
function sampleEntries(buf: Buffer, from: number, end: number, out: string[] = []): string[] {
  for (const box of children(buf, from, end)) {
    const body = box.start + box.headerSize;
    if (CONTAINERS.has(box.type)) sampleEntries(buf, body, box.start + box.size, out);
    // stsd: version/flags (4), entry count (4), then the entries as boxes.
    else if (box.type === 'stsd')
      for (const entry of children(buf, body + 8, box.start + box.size)) out.push(entry.type);
  }
  return out;
}

/** Reads the `moov` box of an MP4 file on disk, walking the top-level boxes by their headers. */
async function readMoov(file: FileHandle, fileSize: number): Promise<Buffer | null> {
  const header = Buffer.alloc(16);
  let at = 0;
  while (at + 8 <= fileSize) {
    const { bytesRead } = await file.read(header, 0, 16, at);
    if (bytesRead < 8) return null;
    const small = header.readUInt32BE(0);
    const large = bytesRead >= 16 ? Number(header.readBigUInt64BE(8)) : 0;
    const size = small === 1 ? large : small === 0 ? fileSize - at : small;
    if (size < 8 || at + size > fileSize) return null;
    if (header.toString('latin1', 4, 8) === 'moov') {
      if (size > MOOV_MAX) return null;
      const moov = Buffer.alloc(size);
      await file.read(moov, 0, size, at);
      return moov;
    }
    at += size;
  }
  return null;
}

/** The file's duration and video codec, or null when it is not an MP4 with an H.264 video track. */
export async function probeMp4(file: FileHandle, fileSize: number): Promise<Mp4Info | null> {
  const head = Buffer.alloc(12);
  await file.read(head, 0, 12, 0);
  if (!looksLikeMp4(head)) return null;
  const moov = await readMoov(file, fileSize);
  if (!moov) return null;
  const mvhd = [...children(moov, 8, moov.length)].find((b) => b.type === 'mvhd');
  const seconds = mvhd ? movieSeconds(moov, mvhd) : null;
  const entries = sampleEntries(moov, 8, moov.length);
  const codec = entries.find((e): e is Mp4Info['codec'] => e === 'avc1' || e === 'avc3');
  if (seconds === null || !codec) return null;
  return { seconds, codec };
}
