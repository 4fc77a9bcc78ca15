export * from "./percentile";
export * from "./magnitude";
