package io.extsub.engine.extsub;

import io.extsub.engine.lowrank.LowRankPair;

/** A module's exact result, every scaling folded into B, and its degenerate-row counts. */
public record ExtSubResult(LowRankPair pair, DegenerateRows degenerate) {}
