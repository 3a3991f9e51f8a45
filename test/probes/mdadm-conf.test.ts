// mdadm.conf's ARRAY lines, as the monitor reads them (which md arrays should exist on a node): the file
// the wizard generates (no lab capture of an mdadm.conf exists), and mdadm.conf(5)'s syntax around it.
import { describe, expect, it } from 'vitest';
import { parseMdadmConf } from '../../src/probes/mdadm-conf.js';
import { renderMdadmConf } from '../../src/generate/mdadm-conf.js';
import { mdArrayName } from '../../src/answers/derived.js';
import { EXAMPLE_FILES, loadExample } from '../helpers/example-answers.js';

describe('parseMdadmConf', () => {
  it.each(EXAMPLE_FILES)('the generated mdadm.conf of %s: its one array, by kernel name where the device fixes it', async (file) => {
    const { answers: a } = await loadExample(file);
    for (const node of a.nodes) {
      const arrays = parseMdadmConf(renderMdadmConf(a, node));
      expect(arrays).toEqual([{ device: a.raid.device, kernelName: /^\/dev\/(md\d+)$/.exec(a.raid.device)?.[1] ?? null, uuid: null, name: mdArrayName(a) }]);
    }
  });

  it('mdadm --detail --scan lines, continuations, comments, abbreviations and <ignore>', () => {
    const text = [
      '# mdadm.conf',
      'DEVICE partitions',
      'ARRAY /dev/md0 metadata=1.2 name=node1:0 UUID=3aaa0122:29827cfa:5331ad66:ca767371',
      'ARRAY /dev/md/data metadata=1.2',
      '   UUID=11111111:22222222:33333333:44444444 # continued',
      'arr /dev/md3 uuid=55555555:66666666:77777777:88888888',
      'ARRAY <ignore> UUID=99999999:aaaaaaaa:bbbbbbbb:cccccccc',
      '#ARRAY /dev/md9 UUID=commented:out',
    ].join('\n');
    expect(parseMdadmConf(text)).toEqual([
      { device: '/dev/md0', kernelName: 'md0', uuid: '3aaa0122:29827cfa:5331ad66:ca767371', name: 'node1:0' },
      { device: '/dev/md/data', kernelName: null, uuid: '11111111:22222222:33333333:44444444', name: null },
      { device: '/dev/md3', kernelName: 'md3', uuid: '55555555:66666666:77777777:88888888', name: null },
    ]);
  });
});
