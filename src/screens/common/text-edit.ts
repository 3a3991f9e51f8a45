// Editing a one-line text field from Ink key events, as a pure function: typed characters are appended,
// Backspace/Delete remove the last one. Returns null when the key is not an edit (so it can mean something else).
import type { Key } from 'ink';

export function editText(value: string, input: string, key: Key): string | null {
  if (key.backspace || key.delete) return value.slice(0, -1);
  if (key.ctrl && input === 'u') return '';
  if (key.ctrl || key.meta || key.escape || key.return || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return null;
  // `?` always opens the help, so it is never typed (no answer field needs it).
  if (input === '' || input === '?' || /[\x00-\x1f\x7f]/.test(input)) return null;
  return value + input;
}
