export * from "./pattern";
export * from "./kernels";
export * from "./sparse-ops";
export * from "./speed";
