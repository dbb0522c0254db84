/**
 * @create-tofu-infra/nx as Nx loads it for every project graph: the OpenTofu inference only
 * (plugin.ts). The generators live in generators.ts, loaded by `nx g` alone.
 */
export { createDependencies, createNodes, createNodesV2, TOFU_FILES_GLOB, type TofuPluginOptions } from './plugin.js';
