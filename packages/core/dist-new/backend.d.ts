/** Picks the fastest available tfjs backend once (idempotent); returns its name. */
export declare function initBackend(): Promise<string>;
/** The backend chosen by initBackend ('' before it ran). */
export declare function backendName(): string;
//# sourceMappingURL=backend.d.ts.map