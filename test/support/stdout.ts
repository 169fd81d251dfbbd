/** What the process writes to stdout while a test runs (e.g. PRINT_QR), kept instead of printed. */
export function captureStdout(): { written: string[]; restore(): void } {
  const written: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  return { written, restore: () => (process.stdout.write = original) };
}
