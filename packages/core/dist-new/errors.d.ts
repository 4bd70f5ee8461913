/** Bad input to M-PHATE: the message names what is wrong (and where, for data). */
export declare class MphateInputError extends Error {
    name: string;
}
//# sourceMappingURL=errors.d.ts.map