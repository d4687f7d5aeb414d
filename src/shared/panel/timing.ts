import type { Timings } from '../../core/model/exchange';
import { formatDuration } from './format';

export type TimingPhase = 'connect' | 'tls' | 'firstByte' | 'download';

export interface TimingSegment {
  readonly phase: TimingPhase;
  readonly label: string;
  readonly ms: number;
  /** Where the segment starts and how wide it is, as percentages of the bar (0–100). */
  readonly offsetPercent: number;
  readonly widthPercent: number;
  readonly text: string;
}

const phases: readonly { phase: TimingPhase; key: keyof Timings; label: string }[] = [
  { phase: 'connect', key: 'connectMs', label: 'Connect' },
  { phase: 'tls', key: 'tlsMs', label: 'TLS' },
  { phase: 'firstByte', key: 'firstByteMs', label: 'Waiting (first byte)' },
  { phase: 'download', key: 'downloadMs', label: 'Download' },
];

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The timing bar: one segment per phase the transport went through (a reused connection has no
 * connect/TLS), laid end to end, proportional to the total (or to the phases' sum if that is larger).
 */
export function timingSegments(timings: Timings): TimingSegment[] {
  const present = phases
    .map((p) => ({ ...p, ms: timings[p.key] }))
    .filter((p): p is typeof p & { ms: number } => typeof p.ms === 'number' && Number.isFinite(p.ms) && p.ms >= 0);
  const sum = present.reduce((total, p) => total + p.ms, 0);
  const scale = Math.max(timings.totalMs, sum);
  if (scale <= 0) return [];
  let offset = 0;
  return present.map((p) => {
    const width = round1((p.ms / scale) * 100);
    const segment: TimingSegment = {
      phase: p.phase,
      label: p.label,
      ms: p.ms,
      offsetPercent: Math.min(100, round1(offset)),
      widthPercent: Math.min(width, round1(100 - offset)),
      text: `${p.label}: ${formatDuration(p.ms)}`,
    };
    offset += width;
    return segment;
  });
}
