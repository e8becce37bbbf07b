package io.extsub.engine.gemm;

/** op(X) in C = alpha op(A) op(B) + beta C. */
public enum Transpose { NO, YES }
