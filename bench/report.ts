/** What a run produces: the table's rows, every round's raw figures for the JSON, and warnings. */
import type { PhaseErrors } from './load';

export interface Row {
  scenario: string;
  figure: string;
  unit: string;
  baseline?: number;
  gateway: number;
  /** Gateway / baseline. */
  ratio?: number;
  goal?: string;
  met?: boolean;
}

export class Report {
  readonly rows: Row[] = [];
  readonly raw: Record<string, unknown> = {};
  readonly warnings: string[] = [];

  add(...rows: Row[]): void {
    this.rows.push(...rows);
  }

  /** A warning when a phase got error answers. */
  noteErrors(where: string, errors: PhaseErrors): void {
    if (errors.count) this.warnings.push(`${where}: ${errors.count} error answers (first: ${errors.first})`);
  }
}

/** Progress goes to stderr; the table goes to stdout. */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
