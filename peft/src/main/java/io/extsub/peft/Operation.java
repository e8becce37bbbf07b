package io.extsub.peft;

/**
 * What to compute from an expert E and an anti-expert A (true deltas, each with its own
 * scaling): Ext-Sub (Hu et al. 2023, closed form in docs/algorithm.md), E - alpha*A, or
 * E + alpha*A.
 */
public sealed interface Operation permits Operation.ExtSub, Operation.Subtract, Operation.Add {

    double alpha();

    /** The command-line name: "ext-sub", "subtract" or "add". */
    String name();

    private static void check(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite, got " + alpha);
        }
    }

    record ExtSub(double alpha) implements Operation {
        public ExtSub {
            check(alpha);
        }

        @Override
        public String name() {
            return "ext-sub";
        }
    }

    record Subtract(double alpha) implements Operation {
        public Subtract {
            check(alpha);
        }

        @Override
        public String name() {
            return "subtract";
        }
    }

    record Add(double alpha) implements Operation {
        public Add {
            check(alpha);
        }

        @Override
        public String name() {
            return "add";
        }
    }
}
