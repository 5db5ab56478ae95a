// Import this first (node --import ./bench/gpu/dawn-setup.mjs …): it gives Node a
// navigator.gpu backed by Dawn (Chromium's WebGPU) from the `webgpu` npm package, before
// @tensorflow/tfjs-backend-webgpu looks for one. The package is not a dependency of the site:
//   npm i --no-save webgpu@0.6.2
// and a Vulkan driver (on a machine without a GPU, SwiftShader's: VK_ICD_FILENAMES=…/vk_swiftshader_icd.json).
let webgpu;
try {
  webgpu = await import("webgpu");
} catch (e) {
  console.error("bench/gpu: the `webgpu` package is missing (npm i --no-save webgpu@0.6.2): " + e.message);
  process.exit(2);
}
Object.assign(globalThis, webgpu.globals);
Object.defineProperty(globalThis, "navigator", {
  value: {gpu: webgpu.create([]), userAgent: "node-dawn", hardwareConcurrency: 16, language: "en"},
  configurable: true
});
