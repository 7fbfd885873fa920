#!/usr/bin/env node
// Test client for trickle-upstream through aks-proxy: plain HTTP/1.1 to the
// proxy, every byte it sends (heads included) in a write of its own with
// Nagle off, so the proxy reads the requests a byte or so at a time.
//
//   node client.js PORT echo BYTES     POST /echo twice on one connection:
//                                      1-byte chunks, then Content-Length
//   node client.js PORT trickle BYTES  GET /trickle?bytes=BYTES twice on one
//                                      connection
//   node client.js PORT tunnel BYTES   GET /tunnel with Upgrade: trickle,
//                                      then BYTES random bytes through it
//
// Prints one "ok ..." line per check and exits 0, or prints "FAIL ..." and
// exits 1. Gives up after 120 s so a stuck proxy cannot hang the test.
'use strict';
const crypto = require('crypto');
const net = require('net');
const { ByteReader, readHead, readBody, trickle, chunkedOneByte, head } = require('./http1');

const [portText, mode, bytesText] = process.argv.slice(2);
const port = Number(portText);
const size = Number(bytesText);
if (!Number.isInteger(port) || !['echo', 'trickle', 'tunnel'].includes(mode) || !Number.isInteger(size) || size < 1) {
  console.log('usage: node client.js PORT echo|trickle|tunnel BYTES');
  process.exit(2);
}
const host = `127.0.0.1:${port}`;

setTimeout(() => {
  console.log(`FAIL ${mode}: no result within 120 s`);
  process.exit(1);
}, 120000).unref();

function connect() {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setNoDelay(true);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

function check(cond, what) {
  if (!cond) throw new Error(what);
}

function statusOf(res) {
  return Number(res.start.split(' ')[1]);
}

// Sends a whole request one byte per write while reading the answer (the
// proxy may answer before the body is complete, e.g. with an error).
async function exchange(socket, reader, request) {
  const sending = trickle(socket, request);
  sending.catch(() => {});  // awaited below; an early answer explains a failed send better
  const res = await readHead(reader);
  check(res, 'connection closed before an answer');
  check(/^HTTP\/1\.[01] \d{3}( |$)/.test(res.start), `not a status line: ${JSON.stringify(res.start)}`);
  const body = await readBody(reader, res.headers, true);
  await sending;
  return { res, body };
}

async function echo() {
  const data = crypto.randomBytes(size);
  const socket = await connect();
  const reader = new ByteReader(socket);
  const base = [['Host', host], ['Content-Type', 'application/octet-stream']];
  const cases = [
    ['1-byte chunks', Buffer.concat([head('POST /echo HTTP/1.1', [...base, ['Transfer-Encoding', 'chunked']]),
                                     chunkedOneByte(data)])],
    ['Content-Length', Buffer.concat([head('POST /echo HTTP/1.1', [...base, ['Content-Length', data.length]]), data])],
  ];
  for (const [name, request] of cases) {
    const { res, body } = await exchange(socket, reader, request);
    check(statusOf(res) === 200, `echo (${name}): ${res.start}: ${body.toString().slice(0, 200)}`);
    check(body.length === data.length, `echo (${name}): ${body.length} bytes back, sent ${data.length}`);
    check(body.equals(data), `echo (${name}): the bytes came back changed`);
    console.log(`ok echo (${name}): ${data.length} bytes sent one per write came back identical` +
                ` (upstream read the body in ${res.headers['x-body-reads']} pieces)`);
  }
  socket.end();
  const extra = await reader.rest(1024 * 1024).catch(() => Buffer.alloc(0));
  check(extra.length === 0, `echo: ${extra.length} stray bytes after the last answer`);
}

// Twice on one connection: a stray byte after the first answer's last chunk
// would spoil the second answer's head.
async function trickleGet() {
  const socket = await connect();
  const reader = new ByteReader(socket);
  for (const round of ['first', 'second']) {
    const { res, body } = await exchange(socket, reader, head(`GET /trickle?bytes=${size} HTTP/1.1`, [['Host', host]]));
    check(statusOf(res) === 200, `trickle (${round}): ${res.start}: ${body.toString().slice(0, 200)}`);
    check(body.length === size, `trickle (${round}): ${body.length} bytes, expected ${size}`);
    const digest = crypto.createHash('sha256').update(body).digest('hex');
    check(digest === res.headers['x-body-sha256'], `trickle (${round}): the bytes differ from what the upstream sent`);
    console.log(`ok trickle (${round} on the connection): ${size} bytes from 1-byte chunks arrived whole` +
                ` (${res.headers['transfer-encoding'] || 'not chunked'} to the client)`);
  }
  socket.end();
  const extra = await reader.rest(1024 * 1024).catch(() => Buffer.alloc(0));
  check(extra.length === 0, `trickle: ${extra.length} stray bytes after the last answer: ${JSON.stringify(extra.toString('latin1'))}`);
}

async function tunnel() {
  const socket = await connect();
  const reader = new ByteReader(socket);
  await trickle(socket, head('GET /tunnel HTTP/1.1', [['Host', host], ['Connection', 'Upgrade'], ['Upgrade', 'trickle']]));
  const res = await readHead(reader);
  check(res, 'tunnel: connection closed before an answer');
  check(statusOf(res) === 101, `tunnel: ${res.start}`);
  check((res.headers.upgrade || '').toLowerCase() === 'trickle', `tunnel: Upgrade ${res.headers.upgrade}`);
  const data = crypto.randomBytes(size);
  const [, back] = await Promise.all([trickle(socket, data), reader.exactly(size)]);
  check(back.equals(data), 'tunnel: the bytes came back changed');
  console.log(`ok tunnel: ${size} bytes sent one per write came back identical`);
  socket.end();
  // Nothing more may come: the upstream echoes only what it got.
  const extra = await reader.rest(1024 * 1024).catch(() => Buffer.alloc(0));
  check(extra.length === 0, `tunnel: ${extra.length} unexpected bytes after the echo`);
}

({ echo, trickle: trickleGet, tunnel })[mode]().then(
  () => process.exit(0),
  (e) => {
    console.log(`FAIL ${mode}: ${e.message}`);
    process.exit(1);
  });
