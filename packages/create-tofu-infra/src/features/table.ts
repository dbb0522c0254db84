/** A feature of a table by its key (a checked spec's, or a manifest's); an unknown key is a bug here, named with the valid ones. */
export function featureOf<Feature>(what: string, table: Record<string, Feature>, kind: string): Feature {
  const feature = table[kind];
  if (feature === undefined) throw new Error(`unknown ${what} "${kind}": valid values are ${Object.keys(table).join(', ')}`);
  return feature;
}
