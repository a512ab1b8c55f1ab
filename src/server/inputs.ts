/** Every input the server accepts, as zod schemas: anything else is a clear 400. */
import { z } from "zod";

/** People's and apps' names: no colon, so a reviewer can never pass for a judge (`kind:model`). */
const name = z
  .string()
  .trim()
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,63}$/u,
    "use 1 to 64 letters, digits, spaces, dots, dashes or underscores",
  );
const key = z.string().regex(/^[0-9a-f]{64}$/, "a response key is 64 hexadecimal characters");
const suite = z.string().min(1).max(200);
const flag = z.enum(["0", "1"]).optional();

export const LabelBody = z.strictObject({
  key,
  check: z.number().int().min(0).max(99),
  reviewer: name,
  label: z.enum(["yes", "no", "unsure"]),
  note: z.string().max(4000).default(""),
});

export const TasksQuery = z.object({
  suite,
  reviewer: name,
  reviewers: z.coerce.number().int().min(1).max(20).default(1),
  slot: z.coerce.number().int().min(1).max(20).default(1),
  overlap: z.coerce.number().min(0).max(1).default(1),
  blind: flag,
});

export const SuiteQuery = z.object({ suite });

export const ItemsQuery = z.object({
  suite: z.string().max(200).optional(),
  target: z.string().max(300).optional(),
  arm: z.string().max(200).optional(),
  condition: z.string().max(200).optional(),
  severity: z.string().max(40).optional(),
  verdict: z.string().max(40).optional(),
  disagree: flag,
  unscored: flag,
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const ItemQuery = z.object({
  run: z.string().regex(/^[0-9a-f]{1,64}$/),
  item: z.string().min(1).max(500),
  sample: z.coerce.number().int().min(0).default(0),
});

export const AnswerBody = z.strictObject({
  suite,
  name,
  itemId: z.string().min(1).max(500),
  reply: z.string().min(1).max(20_000),
});

export const CaptureBody = z.strictObject({
  suite,
  app: name,
  version: z.string().trim().min(1).max(64),
  itemId: z.string().min(1).max(500),
  turn: z.number().int().min(0).max(200),
  reply: z.string().min(1).max(100_000),
  capturedAt: z.iso.datetime({ offset: true }).optional(),
});

export const RecordedQuery = z.object({
  suite,
  name: name.optional(),
  app: name.optional(),
  version: z.string().trim().max(64).optional(),
});

export const FigureQuery = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
