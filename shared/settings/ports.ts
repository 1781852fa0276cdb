// Port lists are typed by users as comma-delimited text ("585, 993").
// This module turns that text into numbers, or into a message that names the bad item.

export type PortListResult = { ok: true; ports: number[] } | { ok: false; message: string };

export function parsePortList(text: string): PortListResult {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s, i, all) => s !== '' || all.length > 1);
  if (items.length === 0 || (items.length === 1 && items[0] === '')) {
    return { ok: false, message: 'Enter at least one port' };
  }
  const ports: number[] = [];
  for (const item of items) {
    if (item === '') return { ok: false, message: 'Empty item in the port list' };
    if (!/^\d+$/.test(item)) return { ok: false, message: `"${item}" is not a port number` };
    const port = Number(item);
    if (port < 1 || port > 65535) return { ok: false, message: `Port ${item} is out of range 1–65535` };
    if (ports.includes(port)) return { ok: false, message: `Port ${port} is listed twice` };
    ports.push(port);
  }
  return { ok: true, ports };
}

export function formatPortList(ports: readonly number[]): string {
  return ports.join(', ');
}
