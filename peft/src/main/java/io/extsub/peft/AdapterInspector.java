package io.extsub.peft;

import io.extsub.safetensors.TensorView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Reads an adapter folder's config and tensor list for {@code inspect}, without computing anything. */
public final class AdapterInspector {
    private AdapterInspector() {}

    /** Loads and validates the folder as {@link AdapterArithmetic} would, then summarizes it. */
    public static AdapterSummary inspect(Path dir) throws IOException {
        try (LoadedAdapter a = AdapterLoader.load(dir)) {
            AdapterConfig c = a.config();
            OptionalInt r = OptionalInt.empty();
            OptionalDouble alpha = OptionalDouble.empty();
            boolean rslora = false;
            Map<String, Double> scaling = new LinkedHashMap<>();
            if (a.peftType() == PeftType.LORA) {
                LoraScaling s = LoraScaling.of(c);
                r = OptionalInt.of(s.r());
                alpha = OptionalDouble.of(s.loraAlpha());
                rslora = s.useRslora();
                for (AdapterModule m : a.modules().values()) {
                    if (m instanceof AdapterModule.Lora l) {
                        scaling.put(l.key(), l.scale());
                    }
                }
            }
            List<TensorInfo> tensors = new ArrayList<>();
            for (TensorView t : a.source().tensors()) {
                tensors.add(new TensorInfo(t.name(), t.dtype().name(), Arrays.stream(t.shape()).boxed().toList()));
            }
            return new AdapterSummary(dir, a.peftType(), a.weightsFile(), c.baseModel(), r, alpha, rslora,
                    c.stringList("target_modules"), scaling, c.stringList("modules_to_save"), tensors);
        }
    }

    /** Module names (state-dict prefixes) found in the weights, in file order. */
    public static List<String> modules(Path dir) throws IOException {
        try (LoadedAdapter a = AdapterLoader.load(dir)) {
            return List.copyOf(a.modules().keySet());
        }
    }

}
