/** The generators, loaded by `nx g` through generators.json (each renders with the create-tofu-infra core). */
export { addEnvironmentGenerator } from './generators/add-environment/generator.js';
export { addRegionGenerator } from './generators/add-region/generator.js';
export { removeRegionGenerator } from './generators/remove-region/generator.js';
export { keyChangeGenerator } from './generators/key-change/generator.js';
export { removeEnvironmentGenerator } from './generators/remove-environment/generator.js';
export { addServiceGenerator } from './generators/add-service/generator.js';
export { upgradeGenerator } from './generators/upgrade/generator.js';
