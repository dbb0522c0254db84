import type { Tree } from '@nx/devkit';

// What never travels with a root: tofu's working directory, lock file (written by init), state,
// plans, crash logs and personal override files, as the generated .gitignore lists them.
const LOCAL_ONLY = [/^\.terraform$/, /^\.terraform\.lock\.hcl$/, /\.tfstate(\..*)?$/, /\.tfplan$/, /^crash(\..*)?\.log$/, /(^|_)override\.tf(\.json)?$/];

/** Every file under a directory of the Tree (recursively), skipping what is local to a checkout. */
export function listFiles(tree: Tree, dir: string): string[] {
  return tree.children(dir).flatMap((name) => {
    if (LOCAL_ONLY.some((pattern) => pattern.test(name))) return [];
    const path = `${dir}/${name}`;
    return tree.isFile(path) ? [path] : listFiles(tree, path);
  });
}
