/** One thing wrong with the stack config: where (a path below `ironcloud:`) and why. */
export interface Problem {
    path: string;
    message: string;
}
