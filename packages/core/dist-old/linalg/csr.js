export {};
//# sourceMappingURL=csr.js.map