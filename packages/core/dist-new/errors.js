/** Bad input to M-PHATE: the message names what is wrong (and where, for data). */
export class MphateInputError extends Error {
    name = 'MphateInputError';
}
//# sourceMappingURL=errors.js.map