// Entry point of the sparse kernels' wasm module (built over the engine backend's imported memory).
export { transpose, spmmT, untranspose, sddmm } from "./sparse";
export { pack, sparseColumnForward, sparseColumnBackward, spmmColumns } from "./column";
