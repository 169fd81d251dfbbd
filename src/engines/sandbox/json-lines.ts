/** The sandbox's records in a session's folder: one JSON value a line, appended as things happen. */
import { appendFileSync, closeSync, fstatSync, openSync, promises as fs, writeSync } from 'node:fs';
import { isErrnoException } from '../../util/errno';

/** Appends one line, synchronously (open, write, close): once this returns, the line is in the file. */
export function appendJsonLine(file: string, value: unknown): void {
  appendFileSync(file, `${JSON.stringify(value)}\n`);
}

/**
 * A record kept open while its session runs, so that a line costs one write instead of an open, a
 * write and a close (a seventh of the gateway's time per send in the request benchmark,
 * docs/performance.md); once closed (the session stopped), each line opens it again. The write is
 * as synchronous as appendJsonLine's: once append() returns, the line is in the file, whatever the
 * process does next.
 */
export class JsonLinesFile<T> {
  private fd: number | undefined;
  private closed = false;

  constructor(readonly file: string) {}

  append(value: T): void {
    if (this.closed) return appendJsonLine(this.file, value);
    // A file deleted meanwhile (its folder removed) would take the line with it: open it again, or fail.
    if (this.fd !== undefined && fstatSync(this.fd).nlink === 0) this.closeFile();
    this.fd ??= openSync(this.file, 'a');
    const bytes = Buffer.from(`${JSON.stringify(value)}\n`);
    for (let written = 0; written < bytes.length;) written += writeSync(this.fd, bytes, written);
  }

  close(): void {
    this.closed = true;
    this.closeFile();
  }

  private closeFile(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Every value in `file`, oldest first; none when it does not exist. A line cut short (the process died inside a write) is skipped. */
export async function readJsonLines<T>(file: string): Promise<T[]> {
  let content: string;
  try {
    content = await fs.readFile(file, 'utf8');
  } catch (error) {
    if (isErrnoException(error, 'ENOENT')) return [];
    throw error;
  }
  return content.split('\n').flatMap((line) => {
    try {
      return line ? [JSON.parse(line) as T] : [];
    } catch {
      return [];
    }
  });
}
