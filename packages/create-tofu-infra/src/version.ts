import pkg from '../package.json' with { type: 'json' };

/** This tool's version, recorded in every manifest it writes. */
export const VERSION: string = pkg.version;
