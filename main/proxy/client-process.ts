// Which program opened a connection from this computer — for "Excluded applications".
// Linux only: the client's socket is found in /proc/net/tcp{,6} by its port pair, then the process that
// holds that socket inode among /proc/<pid>/fd. Elsewhere (or when it cannot be told) the answer is null,
// and the connection is checked as usual: failing to identify a program never turns protection off.
import { readdir, readFile, readlink } from 'node:fs/promises';

/** The executable path of the local process that owns the TCP connection `clientPort` → `serverPort`. */
export async function localClientProgram(clientPort: number, serverPort: number): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  const inode = await socketInode(clientPort, serverPort);
  if (!inode) return null;
  const target = `socket:[${inode}]`;
  for (const pid of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')) === target) {
        return readlink(`/proc/${pid}/exe`).catch(() => null);
      }
    }
  }
  return null;
}

/** The inode of the socket whose local port is `localPort` and remote port `remotePort`. */
async function socketInode(localPort: number, remotePort: number): Promise<string | null> {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10) continue;
      if (portOf(cols[1]) === localPort && portOf(cols[2]) === remotePort && cols[9] !== '0') return cols[9];
    }
  }
  return null;
}

const portOf = (hexAddress: string) => parseInt(hexAddress.slice(hexAddress.lastIndexOf(':') + 1), 16);

/** Whether a program path is in the excluded list (full paths, or a bare program name matching the file name). */
export function isExcludedProgram(program: string, excluded: readonly string[]): string | null {
  const base = program.slice(program.lastIndexOf('/') + 1);
  return excluded.find((e) => e === program || (!e.includes('/') && e === base)) ?? null;
}
