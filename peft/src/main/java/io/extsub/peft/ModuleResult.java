package io.extsub.peft;

import java.util.List;

/** One module's report line and the tensors to write for it. */
record ModuleResult(ModuleReport report, List<OutputTensor> tensors) {}
