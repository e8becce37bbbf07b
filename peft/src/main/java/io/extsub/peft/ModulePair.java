package io.extsub.peft;

/** The expert's and the anti-expert's version of the same module (same kind and shape). */
record ModulePair(AdapterModule expert, AdapterModule anti) {}
