/**
 * Claude Code's status line input (JSON on stdin, documented in its statusline docs and in the
 * `/statusline` setup prompt of the binary): only what the line uses is taken, leniently. Anything
 * malformed (not JSON, not an object, wrong types, empty) gives an empty input, never an exception.
 */
export interface StatuslineInput {
  /** `model.display_name`, else `model.id`. */
  model?: string;
  /** `workspace.project_dir`: where Claude Code started. */
  projectDir?: string;
  /** `workspace.current_dir` (else `cwd`): where the agent is now. */
  currentDir?: string;
  /** The text was a JSON object. */
  valid: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

export function parseStatuslineInput(text: string): StatuslineInput {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { valid: false };
  }
  const top = obj(data);
  if (!top) return { valid: false };
  const out: StatuslineInput = { valid: true };
  const model = obj(top.model);
  const name = str(model?.display_name) ?? str(model?.id) ?? str(top.model);
  if (name) out.model = name;
  const ws = obj(top.workspace);
  const project = str(ws?.project_dir);
  const current = str(ws?.current_dir) ?? str(top.cwd);
  if (project) out.projectDir = project;
  if (current) out.currentDir = current;
  return out;
}
