// aws-types: ignore-file (the miniature provider's types are not the real provider's)
// The derivation of the trimmed aws provider's services, on a miniature provider module laid out
// like the pinned one (service packages registering types, generated client methods, imports).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM shared with scripts/toolchain.mjs
import { closeServices, patchClients, patchServicePackages, readProvider, typesUsed } from '../../scripts/aws-services.mjs';
import { tempDir } from '../harness/tmp.js';

const MODULE = 'github.com/hashicorp/terraform-provider-aws';

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const servicePackage = (pkg: string, name: string, resources: string[], extra = '') => `package ${pkg}

import (
	"context"
${extra}
)

type servicePackage struct{}

func (p *servicePackage) SDKResources(ctx context.Context) []*inttypes.ServicePackageSDKResource {
	return []*inttypes.ServicePackageSDKResource{
${resources.map((r) => `		{\n			TypeName: "${r}",\n		},`).join('\n')}
	}
}

func (p *servicePackage) ServicePackageName() string {
	return names.${name}
}

func (p *servicePackage) NewClient(ctx context.Context, config map[string]any) (*${pkg}.Client, error) {
	return nil, nil
}
`;

const clientMethod = (name: string, sdk: string) => `func (c *AWSClient) ${name}Client(ctx context.Context) *${sdk}.Client {
	return errs.Must(client[*${sdk}.Client](ctx, c, names.${name}, make(map[string]any)))
}
`;

const SERVICES = ['alpha', 'beta', 'gamma', 'delta'];
const NAMES: Record<string, string> = { alpha: 'Alpha', beta: 'Beta', gamma: 'Gamma', delta: 'Delta' };

/** alpha registers aws_alpha_thing and calls beta's client; beta imports gamma's package, which calls gamma's client; delta is unused. */
function miniProvider(): string {
  const root = tempDir('cti-mini-provider-');
  const fillers = Array.from({ length: 100 }, (_, i) => clientMethod(`Filler${i}`, `filler${i}`)).join('\n');
  write(root, {
    'main.go': `package main\n\nimport (\n\t"${MODULE}/internal/provider/sdkv2"\n)\n`,
    'internal/provider/sdkv2/service_packages_gen.go': `package sdkv2

import (
	"context"
	"slices"

	"${MODULE}/internal/conns"
${SERVICES.map((s) => `	"${MODULE}/internal/service/${s}"`).join('\n')}
)

func servicePackages(ctx context.Context) []conns.ServicePackage {
	v := []conns.ServicePackage{
${SERVICES.map((s) => `		${s}.ServicePackage(ctx),`).join('\n')}
	}

	return slices.Clone(v)
}
`,
    'internal/conns/awsclient_gen.go': `package conns

import (
	"context"

${SERVICES.map((s) => `	"github.com/aws/aws-sdk-go-v2/service/${s}"`).join('\n')}
	"github.com/hashicorp/terraform-provider-aws/internal/errs"
	"github.com/hashicorp/terraform-provider-aws/names"
)

${SERVICES.map((s) => clientMethod(NAMES[s]!, s)).join('\n')}
${fillers}`,
    'internal/service/alpha/service_package_gen.go': servicePackage('alpha', 'Alpha', ['aws_alpha_thing']),
    'internal/service/alpha/thing.go': `package alpha\n\nfunc read(meta any) {\n\tconn := meta.(*conns.AWSClient).BetaClient(ctx)\n}\n`,
    'internal/service/beta/service_package_gen.go': servicePackage('beta', 'Beta', ['aws_beta_thing']),
    'internal/service/beta/uses_gamma.go': `package beta\n\nimport tfgamma "${MODULE}/internal/service/gamma"\n`,
    'internal/service/gamma/service_package_gen.go': servicePackage('gamma', 'Gamma', ['aws_gamma_thing']),
    'internal/service/gamma/finder.go': `package gamma\n\nfunc find(c *conns.AWSClient) {\n\tc.GammaClient(ctx)\n}\n`,
    'internal/service/gamma/finder_test.go': `package gamma\n\nfunc t(c *conns.AWSClient) {\n\tc.DeltaClient(ctx)\n}\n`,
    'internal/service/delta/service_package_gen.go': servicePackage('delta', 'Delta', ['aws_delta_thing']),
  });
  return root;
}

describe('trimmed aws provider: services derived from the types in use', () => {
  it('finds resource and data types in templates, keyed by kind', () => {
    const dir = tempDir('cti-types-');
    write(dir, {
      'a/main.tf.hbs': 'resource "aws_alpha_thing" "x" {}\ndata "aws_beta_thing" "y" {}\n',
      'b.ts': 'const hcl = `resource "aws_alpha_thing" "z" {}`;\n',
    });
    expect([...(typesUsed([dir]) as Map<string, string>).keys()].sort()).toEqual(['data.aws_beta_thing', 'resource.aws_alpha_thing']);
  });

  it('skips a file that opts out with the marker line', () => {
    const dir = tempDir('cti-types-');
    write(dir, {
      'guard.test.ts': `// aws-types: ${'ignore-file'}\nconst hcl = 'resource "aws_sqs_queue" "q" {}';\n`,
      'main.tf': 'resource "aws_alpha_thing" "x" {}\n',
    });
    expect([...(typesUsed([dir]) as Map<string, string>).keys()]).toEqual(['resource.aws_alpha_thing']);
  });

  it('closes over client calls through imports, ignoring test files', () => {
    const provider = readProvider(miniProvider());
    const { dirs, why } = closeServices(provider, new Map([['resource.aws_alpha_thing', 'main.tf']]));
    expect(dirs).toEqual(['alpha', 'beta', 'gamma']);
    expect(why.get('alpha')).toBe('registers aws_alpha_thing');
    expect(why.get('beta')).toBe('client BetaClient called by internal/service/alpha');
    expect(why.get('gamma')).toBe('client GammaClient called by internal/service/gamma');
  });

  it('refuses a type that no service package registers, naming where it is used', () => {
    const provider = readProvider(miniProvider());
    expect(() => closeServices(provider, new Map([['resource.aws_nothing', 'templates/x.tf.hbs']]))).toThrow(
      /registers: resource\.aws_nothing \(templates\/x\.tf\.hbs\)/,
    );
  });

  it('patches the registration list and the client list to the chosen services', () => {
    const root = miniProvider();
    const provider = readProvider(root);
    const registrations = patchServicePackages(readFileSync(join(root, 'internal/provider/sdkv2/service_packages_gen.go'), 'utf8'), ['alpha', 'beta']);
    expect(registrations).toContain('\t\talpha.ServicePackage(ctx),');
    expect(registrations).not.toContain('gamma');
    const clients = patchClients(readFileSync(join(root, 'internal/conns/awsclient_gen.go'), 'utf8'), provider, ['alpha', 'beta']);
    expect(clients).toContain('func (c *AWSClient) BetaClient(');
    expect(clients).not.toContain('GammaClient');
    expect(clients).not.toContain('Filler0Client');
    // Unused SDK imports go too, or the patched file would not compile.
    expect(clients).toContain('"github.com/aws/aws-sdk-go-v2/service/alpha"');
    expect(clients).not.toContain('"github.com/aws/aws-sdk-go-v2/service/gamma"');
    expect(clients).toContain('"github.com/hashicorp/terraform-provider-aws/names"');
  });
});
