export * from "./pattern";
export * from "./kernels";
