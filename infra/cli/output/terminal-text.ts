import { escapeControls } from '../../../shared/mail/control-characters';

/**
 * Reporter-supplied text (subjects, names) may carry terminal escape sequences; show them
 * as visible escapes instead of letting them drive the operator's terminal.
 */
export function terminalSafe(text: string): string {
  return escapeControls(text);
}
