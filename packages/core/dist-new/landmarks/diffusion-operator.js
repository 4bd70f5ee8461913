export {};
//# sourceMappingURL=diffusion-operator.js.map