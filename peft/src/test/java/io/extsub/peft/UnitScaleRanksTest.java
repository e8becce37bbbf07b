package io.extsub.peft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected configs worked out by hand from PEFT's get_pattern_key rule ({@code re.match(rf"(.*\.)?({k})$", name)}). */
class UnitScaleRanksTest {

    private static Map<String, Integer> ranks(Object... nameRank) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < nameRank.length; i += 2) {
            m.put((String) nameRank[i], (Integer) nameRank[i + 1]);
        }
        return m;
    }

    @Test
    void mostCommonRankIsGlobalAndOthersGetPatternEntries() {
        UnitScaleRanks u = UnitScaleRanks.of(ranks("m.0.q_proj", 8, "m.0.v_proj", 4, "m.1.q_proj", 8));
        assertEquals(8, u.r());
        assertEquals(Map.of("m.0.v_proj", 4), u.pattern());
        assertEquals("{\"m.0.v_proj\":4}", io.extsub.safetensors.json.JsonWriter.COMPACT.write(u.patternJson()));
    }

    @Test
    void tieGoesToTheLargerRank() {
        UnitScaleRanks u = UnitScaleRanks.of(ranks("a", 4, "b", 16));
        assertEquals(16, u.r());
        assertEquals(Map.of("a", 4), u.pattern());
    }

    @Test
    void dotsAreEscapedWhenTheNameAsRegexMatchesAnotherModule() {
        // "l.1.q" read as a regex also matches "lx1yq", which must keep the global rank 8.
        UnitScaleRanks u = UnitScaleRanks.of(ranks("l.1.q", 4, "lx1yq", 8, "l22q", 8));
        assertEquals(8, u.r());
        assertEquals(Map.of("l\\.1\\.q", 4), u.pattern());
    }
}
