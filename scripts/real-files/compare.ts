import type { RecordedRequest } from './recorder';

/** Headers each client adds on its own; they say nothing about what the file means. */
const clientHeaders = new Set(['user-agent', 'accept-encoding', 'connection', 'host', 'content-length', 'accept', 'proxy-connection', 'transfer-encoding', 'cookie']);

function normalizedBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body));
  } catch {
    return body.replace(/\r\n/g, '\n').trim();
  }
}

/** Where two clients sent one request differently: method, path, file-given headers, body (JSON compared parsed). */
export function requestDifferences(ours: RecordedRequest, theirs: RecordedRequest): string[] {
  const differences: string[] = [];
  if (ours.method !== theirs.method) differences.push(`method ${ours.method} vs ${theirs.method}`);
  if (ours.path !== theirs.path) differences.push(`path ${ours.path} vs ${theirs.path}`);
  const names = new Set([...Object.keys(ours.headers), ...Object.keys(theirs.headers)].filter((name) => !clientHeaders.has(name)));
  for (const name of [...names].sort()) {
    if (ours.headers[name] !== theirs.headers[name]) differences.push(`header ${name}: ${ours.headers[name] === undefined ? 'absent' : 'differs'} vs ${theirs.headers[name] === undefined ? 'absent' : 'differs'}`);
  }
  if (normalizedBody(ours.body) !== normalizedBody(theirs.body)) differences.push('body differs');
  return differences;
}

/** Differences of two runs of one file, request by request (only as far as both sent). */
export function runDifferences(ours: RecordedRequest[], theirs: RecordedRequest[]): string[] {
  const count = Math.min(ours.length, theirs.length);
  const differences: string[] = [];
  for (let index = 0; index < count; index++) {
    for (const difference of requestDifferences(ours[index], theirs[index])) differences.push(`#${index + 1} ${difference}`);
  }
  return differences;
}

/** A failure reason without the file's own names, numbers and detail, so that like reasons count together. */
export function reasonGroup(reason: string): string {
  return reason
    .replace(/^\S+:\d+:\d+: /, '')
    .split(/ \(| — |: E[A-Z]+\b/)[0]
    .replace(/'[^']*'/g, "'…'")
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\/\S+/g, 'PATH')
    .replace(/\d+/g, 'N')
    .slice(0, 90);
}
