/**
 * Generated sections: the parts of a file the user may edit around (README.md, CODEOWNERS) that
 * generators keep current. Each lies between two marker lines, in the file's own comment syntax:
 *   <!-- create-tofu-infra:begin environments -->  ...  <!-- create-tofu-infra:end environments -->
 *   # create-tofu-infra:begin production  ...  # create-tofu-infra:end production
 * Everything outside the markers belongs to the user and is never rewritten.
 */
const MARKER = /create-tofu-infra:(begin|end) ([a-z][a-z0-9-]*)/;

interface Section {
  name: string;
  /** Line indexes of the begin and end markers. */
  begin: number;
  end: number;
}

function sectionsOf(lines: string[]): Section[] {
  const found: Section[] = [];
  let open: { name: string; begin: number } | undefined;
  for (const [i, line] of lines.entries()) {
    const m = MARKER.exec(line);
    if (m?.[1] === 'begin' && !open) open = { name: m[2]!, begin: i };
    else if (m?.[1] === 'end' && open && open.name === m[2]) {
      found.push({ name: open.name, begin: open.begin, end: i });
      open = undefined;
    }
  }
  return found;
}

/** Whether a file has generated sections. */
export function hasGeneratedSections(text: string): boolean {
  return sectionsOf(text.split('\n')).length > 0;
}

/**
 * `current` with each generated section replaced by the section of the same name in `rendered`;
 * text outside the markers, and sections `rendered` lacks or the user removed, stay as they are.
 */
export function replaceGeneratedSections(current: string, rendered: string): string {
  const fresh = rendered.split('\n');
  const bodies = new Map(sectionsOf(fresh).map((s) => [s.name, fresh.slice(s.begin + 1, s.end)]));
  const lines = current.split('\n');
  for (const section of sectionsOf(lines).reverse()) {
    const body = bodies.get(section.name);
    if (body) lines.splice(section.begin + 1, section.end - section.begin - 1, ...body);
  }
  return lines.join('\n');
}
