export type Sizing = ReturnType<typeof sizingFor>;

/** Production environments (prod, prod-eu, production): bigger sizes, code owners' review. */
export function isProduction(env: string): boolean {
  return /^prod/.test(env);
}

/** Starting sizes per environment: production gets redundancy, the others stay cheap. */
export function sizingFor(env: string) {
  const prod = isProduction(env);
  return {
    azCount: prod ? 3 : 2,
    natGateway: prod,
    appInstanceType: prod ? 't3.medium' : 't3.micro',
    appMin: prod ? 2 : 1,
    appMax: prod ? 4 : 2,
    appDesired: prod ? 2 : 1,
    dbInstanceClass: prod ? 'db.t3.medium' : 'db.t3.micro',
    dbMultiAz: prod,
    dbStorage: prod ? 50 : 20,
    dbDeletionProtection: prod,
  };
}
