package io.extsub.peft;

import io.extsub.engine.ElementType;

/** A result tensor on the heap, row-major, and the element type it is written in. */
record OutputTensor(String name, long[] shape, float[] data, ElementType type) {}
