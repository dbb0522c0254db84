/**
 * GitLab `rules:changes` globs as one anchored regular expression, so that GitHub selects the same
 * affected roots with `jq test()`. Only the forms the pipelines use: `dir/**\/*` (anything below
 * dir), `dir/*` (a file directly in dir) and plain paths.
 */
export function globToRegex(globs: string[]): string {
  const one = (glob: string) =>
    glob
      .split('**/')
      .map((part) =>
        part
          .split('*')
          .map((text) => text.replaceAll(/[.+?^${}()|[\]\\]/g, '\\$&'))
          .join('[^/]*'),
      )
      .join('(.*/)?');
  return `^(${globs.map(one).join('|')})$`;
}
