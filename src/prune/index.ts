export * from "./percentile";
export * from "./magnitude";
export * from "./records";
export * from "./measures";
export * from "./gradual";
export * from "./sparse";
