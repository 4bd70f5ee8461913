export {};
//# sourceMappingURL=thread-worker.d.ts.map