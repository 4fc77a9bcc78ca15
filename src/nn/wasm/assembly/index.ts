// Entry point of the wasm kernels: every export takes byte offsets into the one
// imported linear memory (the JS side owns all allocation).
export { gemmNN, gemmTN, gemmNT, SCRATCH_FLOATS } from "./gemm";
export { forwardTanh, forwardRelu, backwardTanh, backwardRelu, forwardGRU, backwardGRU, forwardLSTM, backwardLSTM } from "./cell";
export { addRowVector, colSums, add, multiply, sumSquares, adam, gatherRows, scatterAddRows, gatherColumns, scatterAddColumns, copy, fill } from "./vector";
export { stepGRU, stepBackGRU } from "./step";
export { columnForward, columnBackward } from "./column";
