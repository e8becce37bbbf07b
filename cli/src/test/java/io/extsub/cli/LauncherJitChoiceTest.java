package io.extsub.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/extsub's JIT choices: the C1-only JIT (-XX:TieredStopAtLevel=1) for small exact
 * operations, tiered compilation for truncation, extraction and large pairs, and a second C2
 * thread (-XX:CICompilerCount=3) for extraction only. The launcher is run with
 * EXTSUB_PRINT_COMMAND=1, which prints the java command line instead of running it.
 */
class LauncherJitChoiceTest {
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String TWO_C2_THREADS = "-XX:CICompilerCount=3";
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void smallExactOperationsRunWithC1Only() throws Exception {
        pair(32 * MIB, 32 * MIB);
        assertTrue(command("ext-sub", "--expert", dir("expert"), "--anti-expert", dir("anti"), "--out", dir("out"))
                .contains(C1_ONLY));
        assertTrue(command("subtract", "--expert=" + dir("expert"), "--anti-expert=" + dir("anti"), "--out", dir("out"))
                .contains(C1_ONLY));
        assertTrue(command("add", "--alpha", "0.5", "--expert", dir("expert"), "--anti-expert", dir("anti"), "--out",
                dir("out")).contains(C1_ONLY));
    }

    @Test
    void truncationAndOtherCommandsKeepTieredCompilation() throws Exception {
        pair(32 * MIB, 32 * MIB);
        assertNoC1Only(command("ext-sub", "--expert", dir("expert"), "--anti-expert", dir("anti"), "--out", dir("out"),
                "--rank", "8"));
        assertNoC1Only(command("ext-sub", "--tol=0.1", "--expert", dir("expert"), "--anti-expert", dir("anti"), "--out",
                dir("out")));
        assertNoC1Only(command("extract", "--base", dir("expert"), "--tuned", dir("anti"), "--out", dir("out"), "--rank", "8"));
        assertNoC1Only(command("inspect", dir("expert")));
    }

    @Test
    void onlyExtractionGetsASecondC2Thread() throws Exception {
        pair(48 * MIB, 48 * MIB + 1);
        assertTrue(command("extract", "--base", dir("expert"), "--tuned", dir("anti"), "--out", dir("out"), "--rank", "8")
                .contains(TWO_C2_THREADS));
        assertTrue(!command("ext-sub", "--expert", dir("expert"), "--anti-expert", dir("anti"), "--out", dir("out"),
                "--rank", "8").contains(TWO_C2_THREADS), "ext-sub --rank keeps the default compiler threads");
        assertTrue(!command("inspect", dir("expert")).contains(TWO_C2_THREADS), "inspect keeps the default");
    }

    @Test
    void largePairsAndUnreadableInputsKeepTieredCompilation() throws Exception {
        pair(48 * MIB, 48 * MIB + 1); // one byte over the 96 MiB limit
        assertNoC1Only(command("ext-sub", "--expert", dir("expert"), "--anti-expert", dir("anti"), "--out", dir("out")));
        pair(48 * MIB, 48 * MIB); // exactly the limit
        assertTrue(command("ext-sub", "--expert", dir("expert"), "--anti-expert", dir("anti"), "--out", dir("out"))
                .contains(C1_ONLY));
        // an anti-expert without weights: the CLI reports it; the launcher just keeps the default
        assertNoC1Only(command("ext-sub", "--expert", dir("expert"), "--anti-expert", dir("missing"), "--out", dir("out")));
    }

    private void pair(long expertBytes, long antiBytes) throws IOException {
        weights("expert", expertBytes);
        weights("anti", antiBytes);
    }

    /** A sparse weight file of that size: the launcher only looks at its length. */
    private void weights(String name, long bytes) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        try (RandomAccessFile f = new RandomAccessFile(d.resolve("adapter_model.safetensors").toFile(), "rw")) {
            f.setLength(bytes);
        }
    }

    private String dir(String name) {
        return tmp.resolve(name).toString();
    }

    private static void assertNoC1Only(String command) {
        assertTrue(!command.contains(C1_ONLY), "unexpected " + C1_ONLY + " in: " + command);
    }

    private static String command(String... args) throws IOException, InterruptedException {
        Path launcher = Path.of("").toAbsolutePath().getParent().resolve("bin").resolve("extsub");
        List<String> cmd = new ArrayList<>(List.of("sh", launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("EXTSUB_PRINT_COMMAND", "1");
        pb.environment().put("EXTSUB_NO_CDS", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("EXTSUB_JAVA_OPTS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("-jar"), out);
        return out;
    }
}
