/** Points to add to one fixed-window counter; a counter whose window has ended starts a new one of `durationMs`. */
export interface CounterIncrement {
  key: string;
  points: number;
  durationMs: number;
}

/** A counter after the addition: its points in the current window and when that window ends (ms since epoch). */
export interface CounterState {
  points: number;
  expire: number;
}
