/**
 * Sending the probes: a few at a time (`concurrency`) and no faster than `ratePerSecond`, so a
 * red-team run never becomes a denial of service of the endpoint it tests. Results come back in
 * probe order whatever order the answers arrive in, so a seed gives the same report every time.
 */
import type { Canaries } from "./canaries.js";
import type { ProbeCase, ProbeSet } from "./generate.js";
import { type Judgement, type Judges, judgeAnswer } from "./judge.js";
import type { ModelJudge } from "./judge-model.js";
import type { RedteamTarget, TargetReply } from "./target.js";

/** One probe, what the target did, and the verdict. */
export interface ProbeOutcome {
  probe: ProbeCase;
  reply: TargetReply;
  judgement: Judgement;
}

export interface RunProbesOptions {
  set: ProbeSet;
  target: RedteamTarget;
  model: string;
  judges: Judges;
  /** Probes in flight at once (at least 1). */
  concurrency: number;
  /** Most requests started per second; 0 for no limit. */
  ratePerSecond: number;
  /** Grades `refusal-absent` verdicts instead of the refusal heuristic, when given. */
  modelJudge?: ModelJudge;
  /** Called after each probe, for progress on stderr. */
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** Start no more than `perSecond` tasks a second, evenly spaced. */
export function createRateLimiter(perSecond: number): () => Promise<void> {
  if (perSecond <= 0) return async () => {};
  const gap = 1000 / perSecond;
  let next = 0;
  return async () => {
    const now = Date.now();
    const at = Math.max(now, next);
    next = at + gap;
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now));
  };
}

async function judge(
  probe: ProbeCase,
  reply: TargetReply,
  context: { canaries: Canaries; judges: Judges; modelJudge?: ModelJudge; slot?: () => Promise<void> },
): Promise<Judgement> {
  if (reply.kind !== "answered") return { succeeded: false, detector: null };
  const verdict = judgeAnswer(probe, reply.answer, context);
  const { modelJudge } = context;
  const asksJudge = probe.detectors.some((d) => d.kind === "refusal-absent") && reply.answer.text.trim() !== "";
  // Facts (canaries, markers, tool calls, tokens) stand; only the refusal heuristic is put to the judge.
  if (!modelJudge || !asksJudge || (verdict.succeeded && verdict.detector !== "refusal-absent")) return verdict;
  await context.slot?.();
  const graded = await modelJudge.grade(probe, reply.answer);
  if (graded === undefined) return verdict;
  return graded ? { succeeded: true, detector: "judge-model" } : { succeeded: false, detector: null };
}

/** Send every probe of the set and judge each answer. */
export async function runProbes(options: RunProbesOptions): Promise<ProbeOutcome[]> {
  const { set, target, model } = options;
  const cases = set.cases;
  const outcomes: ProbeOutcome[] = new Array(cases.length);
  const slot = createRateLimiter(options.ratePerSecond);
  const context = {
    canaries: set.canaries,
    judges: options.judges,
    // The judge's requests are paced with the probes': it may be the same endpoint.
    ...(options.modelJudge ? { modelJudge: options.modelJudge, slot } : {}),
  };
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < cases.length; i = next++) {
      const probe = cases[i] as ProbeCase;
      if (options.signal?.aborted) {
        outcomes[i] = {
          probe,
          reply: { kind: "error", message: "aborted" },
          judgement: { succeeded: false, detector: null },
        };
        continue;
      }
      await slot();
      const reply = await target.send(
        model,
        {
          messages: probe.messages,
          tools: probe.tools,
          ...(probe.maxTokens !== undefined ? { maxTokens: probe.maxTokens } : {}),
        },
        options.signal,
      );
      outcomes[i] = { probe, reply, judgement: await judge(probe, reply, context) };
      options.onProgress?.(++done, cases.length);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, cases.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}
