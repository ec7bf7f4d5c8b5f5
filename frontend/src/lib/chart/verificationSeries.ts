// The outcomes the verifications chart stacks, bottom to top, with their names and colours.
// Exempt is included so a bar's height is the day's total.
import type { Outcome } from '../api/contract.ts';

export interface ChartSeries {
  key: Outcome;
  label: string;
  color: string;
}

export const verificationSeries: readonly ChartSeries[] = [
  { key: 'verified', label: 'Verified', color: 'var(--chart-verified)' },
  { key: 'restricted', label: 'Restricted', color: 'var(--chart-restricted)' },
  { key: 'exempt', label: 'Exempt', color: 'var(--chart-exempt)' },
  { key: 'error', label: 'Error', color: 'var(--chart-error)' },
];
