import type { FileHandle } from 'node:fs/promises';

/** Positioned I/O of the append-only files (history segments, body files): whole writes and exact reads. */

/** Writes all of `data` at `position` (a write may take fewer bytes than it was given). */
export async function writeAll(file: FileHandle, data: Buffer, position: number): Promise<void> {
  for (let done = 0; done < data.length; ) done += (await file.write(data, done, data.length - done, position + done)).bytesWritten;
}

/** Exactly `length` bytes at `offset`; a file ending before them is an error naming `what`. */
export async function readExactly(file: FileHandle, offset: number, length: number, what: string): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  for (let done = 0; done < length; ) {
    const { bytesRead } = await file.read(buffer, done, length - done, offset + done);
    if (bytesRead === 0) throw new Error(`store: ${what} ends before ${offset + length}`);
    done += bytesRead;
  }
  return buffer;
}
