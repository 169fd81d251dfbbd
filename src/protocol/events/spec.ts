/** The shapes every family's tables take (index.ts joins the families). */
import type { z } from 'zod';

export type ErrorEventName = 'session_error' | 'send_error' | 'phone_check_error';

export interface ServerEventNote {
  summary: string;
  /** Who receives it: the payload says what it is, not who gets it. */
  delivery: string;
}

/** What each server event of a family means and who receives it, as published in docs/protocol.md: one note per event. */
export type ServerEventNotes<Events> = Record<keyof Events, ServerEventNote>;

export interface RequestSpec<Success extends string = string> {
  payload: z.ZodType;
  success: Success;
  error: ErrorEventName;
  summary: string;
}

/** A family's requests; that each success event exists is checked where the families are joined. */
export type RequestSpecs = Record<string, RequestSpec>;
