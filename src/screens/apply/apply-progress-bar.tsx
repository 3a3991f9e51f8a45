// A long step's progress (DRBD initial sync, RAID resync): bar, percent, rate and time left.
import React from 'react';
import { Text } from 'ink';
import { bar, fmtEta, fmtRate } from '../../monitor/units.js';

export interface ApplyProgressBarProps {
  what: string;
  percent: number;
  rateKiBs: number | null;
  etaSec: number | null;
  /** @default 30 */
  width?: number;
}

export function ApplyProgressBar({ what, percent, rateKiBs, etaSec, width = 30 }: ApplyProgressBarProps) {
  return (
    <Text>
      {'    '}
      {what} <Text color="cyan">{bar(percent, width)}</Text> {percent.toFixed(1)}% {fmtRate(rateKiBs)} ETA {fmtEta(etaSec)}
    </Text>
  );
}
