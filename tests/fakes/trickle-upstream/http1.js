// Hand-rolled HTTP/1.1 pieces shared by the trickle upstream and its client:
// a byte reader over a socket, head and body parsing (Content-Length, chunked,
// or up to the end), and a writer that sends a buffer one byte per write.
// Node's http module would coalesce and re-frame bytes; these tests need to
// control exactly what goes on the wire.
'use strict';

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const HEAD_LIMIT = 64 * 1024;
const BODY_LIMIT = 16 * 1024 * 1024;

// Collects what a socket delivers and hands it out on demand. `reads` counts
// the 'data' events, i.e. how many pieces the peer's bytes arrived in.
class ByteReader {
  constructor(socket) {
    this.buf = Buffer.alloc(0);
    this.reads = 0;
    this.ended = false;
    this.error = null;
    this.wake = null;
    socket.on('data', (d) => {
      this.reads++;
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.notify();
    });
    socket.on('end', () => { this.ended = true; this.notify(); });
    socket.on('close', () => { this.ended = true; this.notify(); });
    socket.on('error', (e) => { this.error = e; this.notify(); });
  }

  notify() {
    const w = this.wake;
    this.wake = null;
    if (w) w();
  }

  // Waits for more bytes; throws when none can come.
  async more() {
    if (this.error) throw this.error;
    if (this.ended) throw new Error('connection closed early');
    await new Promise((resolve) => { this.wake = resolve; });
  }

  // True when bytes are buffered (waiting for some); false at a clean end.
  async hasData() {
    while (!this.buf.length) {
      if (this.error || this.ended) return false;
      await new Promise((resolve) => { this.wake = resolve; });
    }
    return true;
  }

  // The bytes before `delim` (which is consumed too).
  async until(delim, limit) {
    for (;;) {
      const i = this.buf.indexOf(delim);
      if (i >= 0) {
        const out = this.buf.subarray(0, i);
        this.buf = this.buf.subarray(i + delim.length);
        return out;
      }
      if (this.buf.length > limit) throw new Error(`no ${JSON.stringify(delim.toString())} within ${limit} bytes`);
      await this.more();
    }
  }

  // Exactly n bytes, taken as they come (no quadratic re-copying).
  async exactly(n) {
    const parts = [];
    let got = 0;
    while (got < n) {
      if (!this.buf.length) {
        await this.more();
        continue;
      }
      const take = Math.min(n - got, this.buf.length);
      parts.push(this.buf.subarray(0, take));
      this.buf = this.buf.subarray(take);
      got += take;
    }
    return Buffer.concat(parts, n);
  }

  // Whatever is buffered, waiting for at least one byte; null at the end.
  async some() {
    if (!(await this.hasData())) return null;
    const out = this.buf;
    this.buf = Buffer.alloc(0);
    return out;
  }

  // Everything up to the end of the stream.
  async rest(limit) {
    const parts = [];
    let got = 0;
    for (let b; (b = await this.some()) !== null;) {
      parts.push(b);
      got += b.length;
      if (got > limit) throw new Error(`body over ${limit} bytes`);
    }
    return Buffer.concat(parts, got);
  }
}

// A request or response head: { start, headers } with lower-case names
// (repeated fields joined with ", "); null when the connection ended cleanly
// before a first byte.
async function readHead(reader) {
  if (!(await reader.hasData())) return null;
  const text = (await reader.until(HEAD_END, HEAD_LIMIT)).toString('latin1');
  const [start, ...lines] = text.split('\r\n');
  const headers = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new Error(`bad header line ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  return { start, headers };
}

// True when a comma-separated header holds the token (case-insensitive).
function hasToken(value, token) {
  return (value || '').split(',').some((t) => t.trim().toLowerCase() === token);
}

async function readChunked(reader) {
  const parts = [];
  let total = 0;
  for (;;) {
    const line = (await reader.until(CRLF, 1024)).toString('latin1');
    const sizeText = line.split(';')[0].trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) throw new Error(`bad chunk size line ${JSON.stringify(line)}`);
    const size = parseInt(sizeText, 16);
    if (size === 0) break;
    total += size;
    if (total > BODY_LIMIT) throw new Error(`body over ${BODY_LIMIT} bytes`);
    parts.push(await reader.exactly(size));
    if (!(await reader.exactly(2)).equals(CRLF)) throw new Error('chunk data not followed by CRLF');
  }
  // Trailer fields, if any, up to the empty line.
  while ((await reader.until(CRLF, HEAD_LIMIT)).length > 0);
  return Buffer.concat(parts, total);
}

// The body that follows a head. `untilEnd`: no framing means "up to the end
// of the connection" (responses) rather than "no body" (requests).
async function readBody(reader, headers, untilEnd) {
  if (headers['transfer-encoding'] !== undefined) {
    if (!hasToken(headers['transfer-encoding'], 'chunked')) throw new Error('unknown transfer-encoding');
    return readChunked(reader);
  }
  if (headers['content-length'] !== undefined) {
    if (!/^\d{1,9}$/.test(headers['content-length'])) throw new Error('bad content-length');
    const n = Number(headers['content-length']);
    if (n > BODY_LIMIT) throw new Error(`body over ${BODY_LIMIT} bytes`);
    return reader.exactly(n);
  }
  return untilEnd ? reader.rest(BODY_LIMIT) : Buffer.alloc(0);
}

// One write, resolved once the socket took it (so the next write is a
// separate TCP segment with setNoDelay, or a separate TLS record).
function writeAwait(socket, data) {
  return new Promise((resolve, reject) => {
    socket.write(data, (err) => (err ? reject(err) : resolve()));
  });
}

// Sends `data` one byte per write.
async function trickle(socket, data) {
  for (let i = 0; i < data.length; i++) await writeAwait(socket, data.subarray(i, i + 1));
}

// A chunked body whose chunks hold one byte each, with the last chunk.
function chunkedOneByte(body) {
  const parts = [];
  for (let i = 0; i < body.length; i++) parts.push(Buffer.from('1\r\n'), body.subarray(i, i + 1), CRLF);
  parts.push(Buffer.from('0\r\n\r\n'));
  return Buffer.concat(parts);
}

function head(start, fields) {
  let text = `${start}\r\n`;
  for (const [name, value] of fields) text += `${name}: ${value}\r\n`;
  return Buffer.from(`${text}\r\n`, 'latin1');
}

module.exports = { ByteReader, readHead, readBody, hasToken, writeAwait, trickle, chunkedOneByte, head };
