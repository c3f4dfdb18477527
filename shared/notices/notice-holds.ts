/**
 * Keeps two invocations of the same scheduled notice apart: schedulers deliver at least once,
 * and a repeat may start before the first run has recorded what it sent.
 */
export interface NoticeHolds {
  /**
   * Takes `notice` for `holder` until `until`. Returns undefined when taken, or the time until
   * which another holder has it when that time has not passed at `now`.
   */
  take(notice: string, holder: string, now: Date, until: Date): Promise<string | undefined>;
  /** Gives up a notice `holder` took, so that a later run need not wait. */
  release(notice: string, holder: string): Promise<void>;
}
