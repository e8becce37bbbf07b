package io.extsub.peft;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Pairs the modules of expert and anti-expert by state-dict prefix. Both must be the same
 * PEFT type and target the same modules with the same shapes (ranks may differ); otherwise
 * the error lists the first few differences and how many there are.
 */
final class ModulePairing {
    static final int SHOWN = 5;

    private ModulePairing() {}

    static List<ModulePair> pair(LoadedAdapter expert, LoadedAdapter anti, List<String> warnings) throws AdapterException {
        if (expert.peftType() != anti.peftType()) {
            throw new AdapterException(anti.dir(), "the anti-expert's peft_type is " + anti.peftType().configName()
                    + " but the expert's is " + expert.peftType().configName() + ": only adapters of one type combine");
        }
        List<String> diffs = new ArrayList<>();
        List<ModulePair> pairs = new ArrayList<>();
        for (AdapterModule e : expert.modules().values()) {
            AdapterModule a = anti.modules().get(e.key());
            if (a == null) {
                diffs.add(e.key() + " only in the expert");
            } else if (!e.shapeSignature().equals(a.shapeSignature())) {
                diffs.add(e.key() + ": expert " + e.shapeSignature() + ", anti-expert " + a.shapeSignature());
            } else {
                pairs.add(new ModulePair(e, a));
            }
        }
        for (AdapterModule a : anti.modules().values()) {
            if (!expert.modules().containsKey(a.key())) {
                diffs.add(a.key() + " only in the anti-expert");
            }
        }
        if (!diffs.isEmpty()) {
            String shown = String.join("; ", diffs.subList(0, Math.min(SHOWN, diffs.size())));
            String more = diffs.size() > SHOWN ? "; and " + (diffs.size() - SHOWN) + " more" : "";
            throw new AdapterException(anti.dir(), "expert and anti-expert do not match (" + diffs.size()
                    + (diffs.size() == 1 ? " difference): " : " differences): ") + shown + more);
        }
        var b1 = expert.config().baseModel();
        var b2 = anti.config().baseModel();
        if (!Objects.equals(b1, b2)) {
            warnings.add("different base models: expert " + b1.orElse("(none)") + ", anti-expert " + b2.orElse("(none)"));
        }
        if (!anti.otherTensors().isEmpty()) {
            warnings.add("the anti-expert's " + anti.otherTensors().size()
                    + " non-adapter tensor(s) (modules_to_save) are ignored; the expert's are kept");
        }
        return pairs;
    }
}
