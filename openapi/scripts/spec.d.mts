// Types of spec.mjs, for testing/spec.ts.
export declare const specPath: string;
export declare function loadSpec(): { spec: Record<string, any>; sha256: string };
export declare function deref<T = Record<string, any>>(spec: Record<string, any>, node: unknown): T;
export declare const refName: (node: unknown) => string | undefined;
