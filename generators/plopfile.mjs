// Contributor generators: features are data (ARCHITECTURE.md), so a new backend is one module, its
// template and one line in its table; a new key provider the same plus its variables template.
// These plop generators write exactly those, ready to build, render and validate; fill in the
// TODOs. Run: npm run new -- backend <name> <opentofu backend type> | key-provider <name> [<key_provider type>]
const CORE = '../packages/create-tofu-infra/src/features';

/** The table line and its import, added to a feature table (features/<folder>/index.ts). */
function tableLine(folder, table) {
  return [
    {
      type: 'modify',
      path: `${CORE}/${folder}/index.ts`,
      pattern: /(\n\n\/\*\* Every )/,
      template: "\nimport { {{camel name}} } from './{{kebab name}}.js';$1",
    },
    {
      type: 'modify',
      path: `${CORE}/${folder}/index.ts`,
      pattern: new RegExp(`(\\n} satisfies Record<string, ${table}>;)`),
      template: '\n  {{tableKey name}},$1',
    },
  ];
}

/** @param {import('node-plop').NodePlopAPI} plop */
export default function (plop) {
  plop.setHelper('camel', (s) => s.replace(/[-_](\w)/g, (_, c) => c.toUpperCase()));
  plop.setHelper('pascal', (s) => s.replace(/(^|[-_])(\w)/g, (_, __, c) => c.toUpperCase()));
  plop.setHelper('kebab', (s) => s.replaceAll('_', '-'));
  // The table key is the flag value; shorthand when it is the module's name already (s3, openbao).
  plop.setHelper('tableKey', (s) => (s.includes('_') ? `${s}: ${s.replace(/_(\w)/g, (_, c) => c.toUpperCase())}` : s));

  plop.setGenerator('backend', {
    description: 'a state backend: features/backends/<name>.ts + templates/backends/<name>.tf.hbs + its line in the backends table',
    prompts: [
      { type: 'input', name: 'name', message: 'backend name (as typed after --backend)' },
      { type: 'input', name: 'type', message: 'the OpenTofu backend type it renders (e.g. s3 for an S3-compatible store)' },
    ],
    actions: [
      { type: 'add', path: `${CORE}/backends/{{kebab name}}.ts`, templateFile: 'templates/backend.ts.hbs', abortOnFail: true },
      { type: 'add', path: '../templates/backends/{{name}}.tf.hbs', templateFile: 'templates/backend.tf.hbs.hbs', abortOnFail: true },
      ...tableLine('backends', 'BackendFeature'),
    ],
  });

  plop.setGenerator('key-provider', {
    description: 'a key provider: features/key-providers/<name>.ts + its key_provider and variables templates + its line in the key providers table',
    prompts: [
      { type: 'input', name: 'name', message: 'key provider name (as typed after --key-provider)' },
      { type: 'input', name: 'type', message: 'the OpenTofu key_provider type it renders (default: the name)' },
    ],
    actions: [
      { type: 'add', path: `${CORE}/key-providers/{{kebab name}}.ts`, templateFile: 'templates/key-provider.ts.hbs', abortOnFail: true },
      { type: 'add', path: '../templates/encryption/key-providers/{{name}}.hcl.hbs', templateFile: 'templates/key-provider.hcl.hbs.hbs', abortOnFail: true },
      {
        type: 'add',
        path: '../templates/encryption/variables/{{name}}.tf.hbs',
        templateFile: 'templates/key-provider-variables.tf.hbs.hbs',
        abortOnFail: true,
      },
      ...tableLine('key-providers', 'KeyProviderFeature'),
    ],
  });
}
