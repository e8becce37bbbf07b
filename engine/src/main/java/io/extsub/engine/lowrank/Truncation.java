package io.extsub.engine.lowrank;

/**
 * A recompressed pair and what was dropped: {@code relativeError} = ||dropped||_F / ||original||_F,
 * exact (from the singular values of the core), and all singular values of the original, descending.
 */
public record Truncation(LowRankPair pair, double relativeError, double[] singularValues) {}
