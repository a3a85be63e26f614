/**
 * Packs a PR's reviewable hunks into each agent's token budget without losing anything silently.
 *
 * 1. Units: every hunk is one unit; a hunk bigger than a quarter of the smallest room (at least
 *    4,000 tokens) is split at line boundaries into pieces.
 * 2. Coverage: agents, largest room first, take the not-yet-seen units in rank order (a whole file
 *    when it fits, else its hunks that fit). Units still unseen are then cut to fill whatever room is
 *    left anywhere, so every changed line is seen by some agent whenever the combined rooms allow
 *    (up to per-file headers and single lines bigger than any room).
 * 3. Redundancy: each agent fills its remaining room with the highest-ranked units it has not seen,
 *    so small PRs are seen whole by every agent and risky code by several.
 * Every agent's packet lists exactly what it did not see; `unreviewed` lists what nobody saw.
 * Linear in the number of diff lines times the number of agents.
 */
import { estimateTokens } from "../tokens.js";
import { changedLinesOf } from "./diff.js";
import type { DiffFile, FileStatus } from "./diff.js";
import type { ExclusionKind, FilterResult } from "./filter.js";
import { rankFiles } from "./rank.js";
import type { RankedFile } from "./rank.js";
import { DEFAULT_RENDER_OPTIONS, HunkLines, fileHeader } from "./units.js";
import type { PartRef, RenderOptions, Unit } from "./units.js";

export interface PackAgent {
  name: string;
  /** The agent's whole prompt budget in estimated tokens. */
  budgetTokens: number;
  /** Tokens kept for instructions and the answer; defaults to `PackOptions.reserveTokens`. */
  reserveTokens?: number;
}

export interface PackOptions extends Partial<RenderOptions> {
  reserveTokens?: number;
}

export type OmitReason = `excluded:${ExclusionKind}` | "budget" | "binary" | "no-patch";

export interface OmittedFile {
  path: string;
  reason: OmitReason;
  detail?: string;
  /** Changed lines not seen (GitHub's counts when there is no patch). */
  changedLines: number;
  /** For "budget": the parts not seen; absent when the whole file was not seen. */
  parts?: PartRef[];
}

export interface PacketFile {
  path: string;
  previousPath: string | null;
  status: FileStatus;
  header: string;
  /** Rendered hunks (or hunk parts) in file order. */
  hunks: string[];
  parts: PartRef[];
}

export interface ReviewPacket {
  agent: string;
  /** Room for the diff: budget minus reserve. `estimatedTokens` never exceeds it. */
  budgetTokens: number;
  estimatedTokens: number;
  /** Files in priority order. */
  files: PacketFile[];
  omitted: OmittedFile[];
  seenChangedLines: number;
  /** Changed lines of all reviewable files (not excluded, with a text patch). */
  totalChangedLines: number;
  shortenedLines: number;
}

export interface PackResult {
  packets: ReviewPacket[];
  /** What no agent saw, with the reason. */
  unreviewed: OmittedFile[];
  totals: {
    files: number;
    changedLines: number;
    reviewableChangedLines: number;
    coveredChangedLines: number;
  };
}

interface AgentState {
  name: string;
  room: number;
  used: number;
  files: Map<number, Set<Unit>>;
}

/** The full prompt text of a packet; its estimate is at most `packet.estimatedTokens`. */
export function packetText(packet: ReviewPacket): string {
  return packet.files.map((file) => file.header + file.hunks.join("")).join("");
}

function unpackable(filtered: FilterResult): OmittedFile[] {
  const omitted: OmittedFile[] = filtered.excluded.map(({ file, kind, detail }) => ({
    path: file.path,
    reason: `excluded:${kind}` as const,
    detail,
    changedLines: changedLinesOf(file),
  }));
  for (const file of filtered.kept) {
    if (file.patch === "binary") omitted.push({ path: file.path, reason: "binary", changedLines: file.additions + file.deletions });
    if (file.patch === "omitted") omitted.push({ path: file.path, reason: "no-patch", detail: "GitHub sent no diff for this file", changedLines: changedLinesOf(file) });
  }
  return omitted;
}

class Packer {
  readonly units: Unit[][];
  readonly headers: string[];
  readonly headerTokens: number[];
  /** Units at least one agent holds. */
  readonly seen = new Set<Unit>();
  private readonly lines: HunkLines[][];
  private readonly minUnitTokens: number;

  /**
   * `pieceRoom`: hunks bigger than this are split up front. It is a quarter of the smallest agent
   * room (at least 4,000 tokens, at most the largest room), so every agent can fill its room with
   * whole pieces of a huge hunk instead of one agent holding it alone.
   */
  constructor(readonly ranked: RankedFile[], render: RenderOptions, pieceRoom: number) {
    this.headers = ranked.map(({ file }) => fileHeader(file));
    this.headerTokens = this.headers.map(estimateTokens);
    this.lines = ranked.map(({ file }) => file.hunks.map((hunk) => new HunkLines(hunk, render)));
    this.units = ranked.map(({ hunkOrder }, f) =>
      hunkOrder.flatMap((h) => {
        const lines = this.lines[f]?.[h] as HunkLines;
        const whole = lines.unit(f, h, 0, lines.hunk.lines.length);
        const fit = pieceRoom - (this.headerTokens[f] as number);
        return whole.tokens <= fit || fit <= 0 ? [whole] : lines.split(f, h, 0, lines.hunk.lines.length, fit);
      }),
    );
    this.minUnitTokens = this.units.flat().reduce((min, unit) => Math.min(min, unit.tokens), Infinity);
  }

  private take(agent: AgentState, f: number, unit: Unit): void {
    let held = agent.files.get(f);
    if (!held) {
      held = new Set();
      agent.files.set(f, held);
      agent.used += this.headerTokens[f] as number;
    }
    held.add(unit);
    agent.used += unit.tokens;
    this.seen.add(unit);
  }

  private headerCost(agent: AgentState, f: number): number {
    return agent.files.has(f) ? 0 : (this.headerTokens[f] as number);
  }

  /** Walks files in rank order; takes a file's eligible units whole when they fit, else those that fit. */
  fill(agent: AgentState, eligible: (unit: Unit) => boolean): void {
    for (let f = 0; f < this.units.length; f++) {
      if (agent.room - agent.used < this.minUnitTokens) return;
      const held = agent.files.get(f);
      const pending = (this.units[f] as Unit[]).filter((unit) => eligible(unit) && !held?.has(unit));
      if (pending.length === 0) continue;
      const total = pending.reduce((sum, unit) => sum + unit.tokens, this.headerCost(agent, f));
      const fitsWhole = total <= agent.room - agent.used;
      for (const unit of pending) {
        if (fitsWhole || unit.tokens + this.headerCost(agent, f) <= agent.room - agent.used) this.take(agent, f, unit);
      }
    }
  }

  /** Cuts still-unseen units to fill the room left anywhere, largest room first. */
  spill(agents: AgentState[]): void {
    for (let f = 0; f < this.units.length; f++) {
      const list = this.units[f] as Unit[];
      for (let k = 0; k < list.length; k++) {
        let unit = list[k] as Unit;
        while (!this.seen.has(unit)) {
          let best: AgentState | null = null;
          let bestRoom = 0;
          for (const agent of agents) {
            const room = agent.room - agent.used - this.headerCost(agent, f);
            if (room > bestRoom) [best, bestRoom] = [agent, room];
          }
          if (!best) break;
          if (unit.tokens <= bestRoom) {
            this.take(best, f, unit);
            break;
          }
          const { hunk, from, to } = unit.part;
          const lines = this.lines[f]?.[hunk] as HunkLines;
          const head = lines.split(f, hunk, from, to, bestRoom, 1)[0];
          if (!head || head.tokens > bestRoom || head.part.to >= to) break;
          const rest = lines.unit(f, hunk, head.part.to, to);
          list.splice(k, 1, head, rest);
          this.take(best, f, head);
          k++;
          unit = rest;
        }
      }
    }
  }
}

function sortedParts(units: Iterable<Unit>): Unit[] {
  return [...units].sort((a, b) => a.part.hunk - b.part.hunk || a.part.from - b.part.from);
}

function unseenEntry(file: DiffFile, unseen: Unit[], total: number): OmittedFile | null {
  const parts = sortedParts(unseen).map((unit) => unit.part).filter((part) => part.changedLines > 0);
  const changedLines = parts.reduce((sum, part) => sum + part.changedLines, 0);
  if (changedLines === 0) return null;
  return changedLines === total
    ? { path: file.path, reason: "budget", changedLines }
    : { path: file.path, reason: "budget", changedLines, parts };
}

/** Packs the reviewable files of `filtered` for each agent (see the module comment). */
export function packReview(filtered: FilterResult, agents: readonly PackAgent[], options: PackOptions = {}): PackResult {
  const render: RenderOptions = {
    lineNumbers: options.lineNumbers ?? DEFAULT_RENDER_OPTIONS.lineNumbers,
    maxLineChars: options.maxLineChars ?? DEFAULT_RENDER_OPTIONS.maxLineChars,
  };
  const names = new Set<string>();
  const states: AgentState[] = [];
  for (const agent of agents) {
    if (names.has(agent.name)) continue;
    names.add(agent.name);
    const room = Math.floor(agent.budgetTokens - (agent.reserveTokens ?? options.reserveTokens ?? 0));
    states.push({ name: agent.name, room: Number.isFinite(room) ? Math.max(0, room) : 0, used: 0, files: new Map() });
  }
  const ranked = rankFiles(filtered.kept.filter((file) => file.patch === "present" && changedLinesOf(file) > 0));
  const rooms = states.map((agent) => agent.room).filter((room) => room > 0);
  const maxRoom = Math.max(0, ...rooms);
  const pieceRoom = Math.min(maxRoom, Math.max(4_000, Math.floor(Math.min(...rooms, maxRoom) / 4)));
  const packer = new Packer(ranked, render, pieceRoom);

  const byRoom = [...states].sort((a, b) => b.room - a.room || (a.name < b.name ? -1 : 1));
  for (const agent of byRoom) packer.fill(agent, (unit) => !packer.seen.has(unit));
  packer.spill(byRoom);
  for (const agent of byRoom) packer.fill(agent, () => true);

  const fileTotals = ranked.map(({ file }) => changedLinesOf(file));
  const reviewable = fileTotals.reduce((sum, count) => sum + count, 0);
  const fixed = unpackable(filtered);

  const packets = states.map((agent): ReviewPacket => {
    const files: PacketFile[] = [];
    const omitted: OmittedFile[] = [...fixed];
    let seenChangedLines = 0;
    let shortenedLines = 0;
    ranked.forEach(({ file }, f) => {
      const held = agent.files.get(f);
      const units = packer.units[f] as Unit[];
      const missing = unseenEntry(file, held ? units.filter((unit) => !held.has(unit)) : units, fileTotals[f] as number);
      if (missing) omitted.push(missing);
      if (!held) return;
      const parts = sortedParts(held);
      for (const unit of parts) {
        seenChangedLines += unit.part.changedLines;
        shortenedLines += unit.shortenedLines;
      }
      files.push({
        path: file.path,
        previousPath: file.previousPath,
        status: file.status,
        header: packer.headers[f] as string,
        hunks: parts.map((unit) => unit.text),
        parts: parts.map((unit) => unit.part),
      });
    });
    return { agent: agent.name, budgetTokens: agent.room, estimatedTokens: agent.used, files, omitted, seenChangedLines, totalChangedLines: reviewable, shortenedLines };
  });

  const unreviewed = [...fixed];
  let covered = 0;
  ranked.forEach(({ file }, f) => {
    const units = packer.units[f] as Unit[];
    for (const unit of units) if (packer.seen.has(unit)) covered += unit.part.changedLines;
    const missing = unseenEntry(file, units.filter((unit) => !packer.seen.has(unit)), fileTotals[f] as number);
    if (missing) unreviewed.push(missing);
  });

  const allFiles = [...filtered.kept, ...filtered.excluded.map((entry) => entry.file)];
  return {
    packets,
    unreviewed,
    totals: {
      files: allFiles.length,
      changedLines: allFiles.reduce((sum, file) => sum + changedLinesOf(file), 0),
      reviewableChangedLines: reviewable,
      coveredChangedLines: covered,
    },
  };
}

/**
 * A short note for the agent's prompt saying how much of the PR it sees and what it does not,
 * so it neither claims a complete review nor guesses about unseen code (at most `maxChars`).
 */
export function coverageNote(packet: ReviewPacket, maxChars = 2_000): string {
  const head = `You see ${packet.seenChangedLines} of ${packet.totalChangedLines} reviewable changed lines of this pull request.`;
  if (packet.omitted.length === 0) return head;
  const items = packet.omitted.map((entry) => {
    const why = entry.reason === "budget" ? (entry.parts ? "some hunks not shown" : "not shown") : entry.reason;
    return `- ${entry.path}: ${why}`;
  });
  const lines = [head, "Not shown to you (do not review or guess about these):"];
  let size = lines.join("\n").length;
  let shown = 0;
  for (const item of items) {
    if (size + item.length + 40 > maxChars) break;
    lines.push(item);
    size += item.length + 1;
    shown++;
  }
  if (shown < items.length) lines.push(`- … and ${items.length - shown} more files`);
  return lines.join("\n");
}
