/** The sandbox's records in a session's folder: one JSON value a line, appended as things happen. */
import { promises as fs } from 'node:fs';
import { isErrnoException } from '../../util/errno';

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
