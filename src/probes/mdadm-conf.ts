// The arrays /etc/mdadm/mdadm.conf says this host has (mdadm.conf(5): ARRAY lines, continued on lines
// that start with white space). Pure: text in, arrays out. Only a /dev/mdN device tells the kernel name
// /proc/mdstat shows; /dev/md/NAME is assembled under a number mdadm picks (md127, ...), so such an array
// is known by its name and UUID only.

export interface MdConfArray {
  /** The ARRAY line's device: /dev/md0, /dev/md/data; "" when the line names none. */
  device: string;
  /** md0 for /dev/md0 (as /proc/mdstat names it); null when the kernel name is not fixed by the file. */
  kernelName: string | null;
  uuid: string | null;
  name: string | null;
}

export function parseMdadmConf(text: string): MdConfArray[] {
  // Join continuation lines, drop comments (from # to the end of the line).
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '');
    if (/^\s/.test(line) && lines.length > 0) lines[lines.length - 1] += ' ' + line.trim();
    else lines.push(line.trim());
  }
  const out: MdConfArray[] = [];
  for (const l of lines) {
    const words = l.split(/\s+/);
    // Keywords may be abbreviated to three letters and are case-insensitive (mdadm.conf(5)).
    if (!/^arr(a(y)?)?$/i.test(words[0] ?? '') || words[1] === undefined) continue;
    // The device is optional: a line may start with its identities (uuid=...).
    const device = words[1].includes('=') ? '' : words[1];
    if (device === '<ignore>') continue;
    const kv = (k: string) => words.slice(device === '' ? 1 : 2).find((w) => w.toLowerCase().startsWith(`${k}=`))?.slice(k.length + 1) ?? null;
    out.push({ device, kernelName: /^\/dev\/(md\d+)$/.exec(device)?.[1] ?? null, uuid: kv('uuid'), name: kv('name') });
  }
  return out;
}
