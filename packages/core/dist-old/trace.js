export {};
//# sourceMappingURL=trace.js.map