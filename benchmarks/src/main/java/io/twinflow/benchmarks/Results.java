package io.twinflow.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one benchmark's figures to {@code benchmarks/results/<name>.json} with what a reader needs to
 * judge them: the machine, how loaded it was (the cores are shared), and the command to rerun.
 */
final class Results {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String name;
    private final Map<String, Object> machine = new LinkedHashMap<>();

    Results(String name) {
        this.name = name;
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        machine.put("maxHeapMb", Runtime.getRuntime().maxMemory() >> 20);
        machine.put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        machine.put("loadAverageAtStart", loadAverage());
    }

    /** The 1-minute load average: above the core count means the figures were measured on a busy machine. */
    static double loadAverage() {
        return Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0;
    }

    static Path directory() {
        Path dir = Path.of(System.getProperty("twinflow.results", "benchmarks/results"));
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What to type to rerun this: the run script passes its own command line. */
    static String command(String fallback) {
        return System.getProperty("twinflow.command", fallback);
    }

    Path write(String command, Map<String, Object> figures, List<String> notes) {
        machine.put("finished", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        machine.put("loadAverageAtEnd", loadAverage());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", name);
        doc.put("command", command);
        doc.put("machine", machine);
        doc.put("figures", figures);
        doc.put("notes", notes);
        Path file = directory().resolve(name + ".json");
        try {
            JSON.writeValue(file.toFile(), doc);
            System.out.println(JSON.writeValueAsString(doc));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("written to " + file);
        return file;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
