export {};
//# sourceMappingURL=sparse.js.map