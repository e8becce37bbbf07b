package io.extsub.peft.extract;

import java.nio.file.Path;
import java.util.List;

/** What {@link LoraExtractor#extract} wrote. */
public record ExtractReport(Path out, List<ExtractedModule> modules, long outputBytes, double seconds) {

    public ExtractReport {
        modules = List.copyOf(modules);
    }
}
