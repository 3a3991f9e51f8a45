import { afterEach, expect, test } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { FileViewer } from '../../../src/screens/common/file-viewer.js';
import { KEY, press, waitForText } from '../../helpers/ink.js';

afterEach(() => cleanup());
const text = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

test('scrolls by line and page, stops at the ends, and Esc closes', async () => {
  let closed = false;
  const r = render(<FileViewer path="cluster/cib.xml" text={text} height={10} active onClose={() => (closed = true)} />);
  await waitForText(r.lastFrame, 'cluster/cib.xml · lines 1-10 of 40');
  expect(await press(r, 'j')).toContain('lines 2-11 of 40');
  expect(await press(r, KEY.space)).toContain('lines 12-21 of 40');
  const end = await press(r, 'G');
  expect(end).toContain('lines 31-40 of 40');
  expect(end).toContain('line 40');
  expect(await press(r, 'g')).toContain('lines 1-10 of 40');
  r.stdin.write(KEY.escape);
  await waitForText(() => String(closed), 'true');
});
