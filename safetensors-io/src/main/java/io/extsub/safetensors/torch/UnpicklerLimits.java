package io.extsub.safetensors.torch;

/**
 * Caps that keep a crafted {@code data.pkl} from exhausting memory or the stack. The defaults
 * are far above what a state dict needs (torch.save of a 70B-parameter model has a few
 * thousand tensors, a pickle of a few MB, nesting depth 4) and far below what would hurt.
 *
 * @param maxPickleBytes    size of data.pkl
 * @param maxMemoEntries    distinct memo slots (BINPUT)
 * @param maxMarkDepth      open MARKs at once
 * @param maxNesting        how deeply containers may nest inside each other
 * @param maxStack          values on the stack at once
 * @param maxContainerItems elements in one tuple, list or dict
 * @param maxValues         values pushed in total (bounds the work and the garbage)
 * @param maxStringBytes    length of one string
 * @param maxRank           dimensions of one tensor
 */
record UnpicklerLimits(long maxPickleBytes, int maxMemoEntries, int maxMarkDepth, int maxNesting,
                       int maxStack, int maxContainerItems, long maxValues, int maxStringBytes,
                       int maxRank) {

    static final UnpicklerLimits DEFAULT = new UnpicklerLimits(
            256L << 20, 1 << 20, 64, 64, 1 << 20, 1 << 22, 1L << 24, 1 << 20, 32);
}
