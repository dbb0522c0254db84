// Contributor generators: features are data (style.md, principle 4), so adding a backend, a key
// provider or a CI target means adding one small module of the common shape plus its template.
// These plop generators write exactly those stubs. Run: npm run new -- <generator> <name>
/** @param {import('node-plop').NodePlopAPI} plop */
export default function (plop) {
  plop.setHelper('camel', (s) => s.replace(/[-_](\w)/g, (_, c) => c.toUpperCase()));

  plop.setGenerator('backend', {
    description: 'a state backend: features/backends/<name>.ts + templates/backends/<name>.tf.hbs',
    prompts: [{ type: 'input', name: 'name', message: 'backend name (as typed after --backend)' }],
    actions: [
      { type: 'add', path: '../packages/create-tofu-infra/src/features/backends/{{name}}.ts', templateFile: 'templates/backend.ts.hbs', abortOnFail: true },
      { type: 'add', path: '../templates/backends/{{name}}.tf.hbs', templateFile: 'templates/backend.tf.hbs.hbs', abortOnFail: true },
      () => 'now add it to BACKENDS in spec/options.ts and to the table in features/backends/index.ts',
    ],
  });

  plop.setGenerator('key-provider', {
    description: 'a key provider: features/key-providers/<name>.ts + templates/encryption/key-providers/<name>.hcl.hbs',
    prompts: [{ type: 'input', name: 'name', message: 'key provider type (as typed after --key-provider)' }],
    actions: [
      { type: 'add', path: '../packages/create-tofu-infra/src/features/key-providers/{{name}}.ts', templateFile: 'templates/key-provider.ts.hbs', abortOnFail: true },
      { type: 'add', path: '../templates/encryption/key-providers/{{name}}.hcl.hbs', templateFile: 'templates/key-provider.hcl.hbs.hbs', abortOnFail: true },
      () => 'now add it to KEY_PROVIDERS in spec/options.ts and to the table in features/key-providers/index.ts',
    ],
  });
}
