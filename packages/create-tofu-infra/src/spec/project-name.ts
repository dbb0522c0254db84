/**
 * The Nx project name of an OpenTofu directory: its path with '/' turned into '-', so
 * environments/dev is `environments-dev` and `nx run environments-dev:plan` needs no quoting.
 * CI jobs use the same names.
 */
export function projectNameOf(path: string): string {
  return path === '.' || path === '' ? 'tofu' : path.replaceAll('/', '-');
}
