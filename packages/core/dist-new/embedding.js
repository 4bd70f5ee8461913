export {};
//# sourceMappingURL=embedding.js.map