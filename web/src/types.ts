/** The server's JSON, as the pages read it (see src/server and src/review). */
export interface Estimate {
  n: number;
  value: number | null;
  ci95: [number, number] | null;
}

export interface LabelTask {
  key: string;
  runId: string;
  suite: string;
  target: string | null;
  arm: string | null;
  itemId: string;
  sample: number;
  condition: string;
  severity: string;
  conversation: Array<{ role: string; content: string }>;
  reply: string;
  checks: Array<{ index: number; question: string }>;
  judges: Array<{ judge: string; check: number; answer: string | null }> | null;
  labels: Array<{ rater: string; check: number; label: string; note?: string }>;
}

export interface Tasks {
  blind: boolean;
  total: number;
  done: number;
  tasks: LabelTask[];
}

export interface Agreement {
  suite: string;
  judges: string[];
  reviewers: string[];
  labelled: number;
  rows: Array<{
    condition: string;
    raters: [string, string];
    n: number;
    percentAgreement: number | null;
    kappa: Estimate;
  }>;
}

export interface Stimulus {
  id: string;
  condition: string;
  severity: string;
  turns: Array<{ role: string; content: string }>;
  clientTurns: number;
}

export interface Stimuli {
  suite: string;
  charLimit: number;
  target: string | null;
  stimuli: Stimulus[];
  given: Record<string, Array<{ turn: number; reply: string; capturedAt: string }>>;
}

export interface RecordResult {
  target: string;
  stored: true;
  runId: string | null;
  judged: { sent: number; failed: string[] };
}
