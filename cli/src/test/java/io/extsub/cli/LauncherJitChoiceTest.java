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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/extsub's JIT choices: the C1-only JIT (-XX:TieredStopAtLevel=1) for small exact
 * operations, tiered compilation for truncation, extraction and large pairs, and for extraction
 * only a second C2 thread (-XX:CICompilerCount=3) and the compiler directives of
 * bin/extract-jit-directives.json. The launcher is run with EXTSUB_PRINT_COMMAND=1, which prints
 * the java command line instead of running it.
 */
class LauncherJitChoiceTest {
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String TWO_C2_THREADS = "-XX:CICompilerCount=3";
    private static final String DIRECTIVES = "-XX:CompilerDirectivesFile=";
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path DIRECTIVES_FILE = ROOT.resolve("bin").resolve("extract-jit-directives.json");
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
    void onlyExtractionGetsASecondC2ThreadAndTheCompilerDirectives() throws Exception {
        pair(48 * MIB, 48 * MIB + 1);
        String extract = extract(Map.of());
        assertTrue(extract.contains(TWO_C2_THREADS), extract);
        assertTrue(extract.contains(DIRECTIVES) && extract.contains("/bin/extract-jit-directives.json"), extract);
        assertTrue(extract.contains("-XX:-DisplayVMOutput"), extract);
        String rank = command("ext-sub", "--expert", dir("expert"), "--anti-expert", dir("anti"), "--out", dir("out"),
                "--rank", "8");
        String inspect = command("inspect", dir("expert"));
        for (String other : List.of(rank, inspect)) {
            assertTrue(!other.contains(TWO_C2_THREADS) && !other.contains(DIRECTIVES), "default JIT expected: " + other);
        }
    }

    @Test
    void userJvmOptionsMoveTheJvmConsoleToStderrInsteadOfSilencingIt() throws Exception {
        pair(48 * MIB, 48 * MIB + 1);
        String extract = extract(Map.of("EXTSUB_JAVA_OPTS", "-Xmx2g"));
        assertTrue(extract.contains(DIRECTIVES) && extract.contains("/bin/extract-jit-directives.json"), extract);
        assertTrue(extract.contains("-XX:+DisplayVMOutputToStderr"), extract);
        assertTrue(!extract.contains("-XX:-DisplayVMOutput"), extract);
    }

    /**
     * The JVM refuses to start on a directives file it cannot parse (and with its console off,
     * says nothing): the launcher's extract flags, run on -version, must start the JVM, keep
     * stdout empty, and install exactly the one directive of the file.
     */
    @Test
    void theJvmAcceptsTheDirectivesQuietly() throws Exception {
        pair(48 * MIB, 48 * MIB + 1);
        String printed = extract(Map.of()).strip();
        List<String> flags = new ArrayList<>(List.of(printed.substring(0, printed.indexOf(" -jar ")).split(" ")));
        flags.add("-version");
        Process quiet = new ProcessBuilder(flags).start();
        String out = new String(quiet.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(quiet.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, quiet.waitFor(), err);
        assertEquals("", out, "stdout must stay clean");
        assertTrue(err.contains("version"), err);

        flags.add(flags.size() - 1, "-XX:+DisplayVMOutput");
        Process loud = new ProcessBuilder(flags).redirectErrorStream(true).start();
        String all = new String(loud.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, loud.waitFor(), all);
        assertTrue(all.contains("1 compiler directives added"), all);
    }

    /** A renamed or removed method would silently get C2 again: each of ours named in the file must exist. */
    @Test
    void everyExtsubMethodInTheDirectivesExists() throws IOException {
        Matcher m = Pattern.compile("\"io\\.extsub\\.([\\w.]+)\\.(\\w+)::(\\w+)\"")
                .matcher(Files.readString(DIRECTIVES_FILE));
        int found = 0;
        while (m.find()) {
            String pkg = m.group(1), cls = m.group(2), method = m.group(3);
            String module = switch (pkg.split("\\.")[0]) {
                case "safetensors" -> "safetensors-io";
                default -> pkg.split("\\.")[0];
            };
            Path source = ROOT.resolve(module).resolve("src/main/java/io/extsub").resolve(pkg.replace('.', '/'))
                    .resolve(cls + ".java");
            assertTrue(Files.isRegularFile(source), "no source for " + m.group());
            assertTrue(Pattern.compile("\\s" + method + "\\(").matcher(Files.readString(source)).find(),
                    "no method " + method + " in " + source);
            found++;
        }
        assertTrue(found >= 3, "expected the GEMM drivers in " + DIRECTIVES_FILE + ", found " + found);
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

    private String extract(Map<String, String> env) throws IOException, InterruptedException {
        return command(env, "extract", "--base", dir("expert"), "--tuned", dir("anti"), "--out", dir("out"), "--rank", "8");
    }

    private static String command(String... args) throws IOException, InterruptedException {
        return command(Map.of(), args);
    }

    private static String command(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path launcher = ROOT.resolve("bin").resolve("extsub");
        List<String> cmd = new ArrayList<>(List.of("sh", launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("EXTSUB_PRINT_COMMAND", "1");
        pb.environment().put("EXTSUB_NO_CDS", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("EXTSUB_JAVA_OPTS");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("-jar"), out);
        return out;
    }
}
