/**
 * Turns what happened in the local GitHub into lines a person can follow: what people did
 * (the demo says it as it does it) and what Orkestra did and why (read back from GitHub:
 * label events by the bot, its comments, the decisions recorded in task cards).
 */
import { parseMarker } from "../../src/domain/markers.js";
import { parseCard, type Decision } from "../../src/domain/task/card.js";
import type { Sandbox } from "../sandbox/index.js";

interface Seen {
  events: Map<number, number>;
  comments: Map<number, string>;
  decisions: Map<number, number>;
  reactions: Map<number, number>;
  reviews: Map<number, string>;
  checks: Map<number, string>;
  pulls: Map<number, string>;
}

export class Transcript {
  private readonly seen: Seen = {
    events: new Map(),
    comments: new Map(),
    decisions: new Map(),
    reactions: new Map(),
    reviews: new Map(),
    checks: new Map(),
    pulls: new Map(),
  };
  readonly lines: string[] = [];

  constructor(
    private readonly sandbox: Sandbox,
    private readonly write: (line: string) => void = (line) => console.log(line),
  ) {}

  say(line: string): void {
    this.lines.push(line);
    this.write(line);
  }

  step(title: string): void {
    this.say("");
    this.say(`── ${title} ${"─".repeat(Math.max(3, 72 - title.length))}`);
  }

  person(login: string, action: string): void {
    this.say(`👤 ${login} ${action}`);
  }

  /** Everything Orkestra did since the last call, issue by issue. */
  orkestra(): void {
    for (const issue of this.sandbox.state.issues()) {
      for (const line of this.changesOn(issue.number)) this.say(`🤖 #${issue.number} ${line}`);
    }
  }

  private changesOn(number: number): string[] {
    const lines: string[] = [];
    const events = this.sandbox.state.events(number);
    const fresh = events.slice(this.seen.events.get(number) ?? 0);
    this.seen.events.set(number, events.length);
    const labels = fresh
      .filter((event) => event.actor?.type === "Bot" && (event.event === "labeled" || event.event === "unlabeled"))
      .map((event) => `${event.event === "labeled" ? "+" : "−"}${(event as { label?: { name: string } }).label?.name ?? "?"}`);
    if (labels.length > 0) lines.push(`labels ${labels.join(" ")}`);
    for (const event of fresh.filter((e) => e.actor?.type === "Bot" && (e.event === "closed" || e.event === "reopened"))) {
      lines.push(event.event === "closed" ? "closed the issue" : "reopened the issue");
    }
    for (const comment of this.sandbox.state.comments(number)) {
      if (comment.user?.type === "Bot") lines.push(...this.commentLines(number, comment.id, comment.body ?? ""));
      else lines.push(...this.reactionLines(comment.id));
    }
    const pull = this.sandbox.state.pull(number);
    if (pull) lines.push(...this.pullLines(pull), ...this.reviewLines(number), ...this.checkLines(pull.head.sha));
    return lines;
  }

  /** An agent's pull request, as Orkestra opened it and as it moves (new commits, out of draft). */
  private pullLines(pull: NonNullable<ReturnType<Sandbox["state"]["pull"]>>): string[] {
    if (pull.user?.type !== "Bot") return [];
    const now = `${pull.head.sha}:${pull.draft ? "draft" : "ready"}`;
    const before = this.seen.pulls.get(pull.number);
    if (before === now) return [];
    this.seen.pulls.set(pull.number, now);
    const files = this.sandbox.state.pullFiles(pull.number).map((file) => `${file.filename} (+${file.additions} −${file.deletions})`);
    const what = before === undefined ? `opened pull request “${pull.title}” from ${pull.head.ref}` : `pushed ${pull.head.sha.slice(0, 7)} to ${pull.head.ref}`;
    return [`${what}, ${pull.draft ? "a draft" : "ready for review"}: ${files.join(", ")}`];
  }

  private reviewLines(number: number): string[] {
    const lines: string[] = [];
    for (const review of this.sandbox.state.reviews(number).filter((r) => r.user?.type === "Bot")) {
      const seen = `${review.state}:${review.body}`;
      if (this.seen.reviews.get(review.id) === seen) continue;
      const first = this.seen.reviews.has(review.id) ? `review ${review.id} is now ${review.state}` : `reviewed: ${review.state}`;
      this.seen.reviews.set(review.id, seen);
      const text = visibleText(review.body ?? "");
      lines.push(`${first} — ${text.slice(0, 2).join(" · ")}`);
      const inline = this.sandbox.state.reviewComments(number).filter((comment) => comment.pull_request_review_id === review.id);
      for (const comment of inline) lines.push(`  inline on ${comment.path}:${comment.line ?? "?"} — ${visibleText(comment.body)[0] ?? ""}`);
    }
    return lines;
  }

  private checkLines(sha: string): string[] {
    const lines: string[] = [];
    for (const run of this.sandbox.state.checkRuns(sha)) {
      const seen = `${run.status}:${run.conclusion ?? ""}`;
      if (this.seen.checks.get(run.id) === seen || run.status !== "completed") continue;
      this.seen.checks.set(run.id, seen);
      lines.push(`check run ${run.name}: ${run.conclusion} — ${run.output.title ?? ""}`);
    }
    return lines;
  }

  private commentLines(number: number, id: number, body: string): string[] {
    const before = this.seen.comments.get(id);
    if (before === body) return [];
    this.seen.comments.set(id, body);
    const card = parseCard(body);
    if (card) return this.decisionLines(number, card.history, before === undefined);
    const kind = parseMarker(body)?.kind ?? "comment";
    const text = visibleText(body);
    const verb = before === undefined ? "commented" : "edited its comment";
    if (kind === "vote") {
      const result = text.find((line) => /^(Result|Running result|Outcome)/i.test(line)) ?? text.slice(1, 3).join(" · ");
      return [`${verb} (vote tally): ${text[0] ?? ""} — ${result}`];
    }
    return [`${verb}: ${text.slice(0, 2).join(" ")}`];
  }

  private decisionLines(number: number, history: Decision[], created: boolean): string[] {
    const known = this.seen.decisions.get(number) ?? 0;
    this.seen.decisions.set(number, history.length);
    const fresh = history.length >= known ? history.slice(known) : history.slice(-1);
    return [
      ...(created ? ["posted its task card"] : []),
      ...fresh.map((decision) => `decided: ${decision.what} — ${decision.why}`),
    ];
  }

  private reactionLines(commentId: number): string[] {
    const reactions = this.sandbox.state.reactions(commentId).filter((reaction) => reaction.user?.type === "Bot");
    const fresh = reactions.slice(this.seen.reactions.get(commentId) ?? 0);
    this.seen.reactions.set(commentId, reactions.length);
    if (fresh.length === 0) return [];
    const icon: Record<string, string> = { eyes: "👀", "+1": "👍", confused: "😕" };
    return [`reacted ${fresh.map((reaction) => icon[reaction.content] ?? reaction.content).join(" ")} to the command`];
  }
}

/** The first lines of a comment a person would read: no markers, no markdown noise. */
function visibleText(body: string): string[] {
  return body
    .replace(/<!--[\s\S]*?-->/g, "")
    .split("\n")
    .map((line) => line.replace(/^#+\s*/, "").replace(/[*_`>|]/g, "").replace(/\s+/g, " ").trim())
    .filter((line) => line.length > 0 && !/^-+$/.test(line) && !line.startsWith("<"));
}
