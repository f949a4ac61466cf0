package io.twinflow.benchmarks;

import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.functions.stream.StreamRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Stream-processing CPU per record, one thread. The headline figures come from paired, interleaved
 * slices in one JVM: every cycle runs each variant for a short slice in a rotating order, so the
 * baseline (Jackson {@code readTree} of the same bytes) and the code under test share whatever the
 * other builds on these two cores leave them; each cycle gives a ratio, and the median over cycles
 * is the figure. The component experiments behind the proposals run in the same cycles.
 *
 * <p>Then, unless {@code --no-jmh}: the {@link StreamCpuBenchmark} methods under JMH (one fork each)
 * for JMH's own scores and errors; and with {@code --profile}: a JFR execution-sample profile of the
 * real StreamProcessor (top methods by self and by inclusive samples).
 *
 * <p>Arguments: {@code [--cycles N] [--slice-ms N] [--no-jmh] [--profile]}.
 */
public final class StreamCpu {

    static final String BASELINE = "jacksonReadTree";
    static final double GOAL_RECORDS_PER_SECOND = 200_000;

    private StreamCpu() {
    }

    @FunctionalInterface
    interface Slice {
        /** Runs one unit of work; returns how many records it covered. */
        int run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int cycles = intArg(args, "--cycles", 40);
        int sliceMillis = intArg(args, "--slice-ms", 200);
        List<String> flags = List.of(args);
        Results results = new Results("stream-cpu");

        StreamCpuBenchmark state = new StreamCpuBenchmark();
        state.setUp();
        Blackhole bh = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        List<StreamRecord> records = new Fleet(StreamCpuBenchmark.DEVICES, Duration.ofSeconds(1), 42)
                .records(Instant.parse("2026-11-24T10:00:00Z"), StreamCpuBenchmark.SPAN, "shardId-000000000000");
        EventDecoder decoder = new EventDecoder();
        List<TelemetryEvent> events = records.stream()
                .map(r -> ((DecodeResult.Valid) decoder.decode(r.data(), r.arrivalTime())).event()).toList();
        ComponentCosts costs = new ComponentCosts(records, events);

        int batch = StreamCpuBenchmark.BATCH_SIZE;
        Map<String, Slice> variants = new LinkedHashMap<>();
        variants.put(BASELINE, () -> { state.jacksonReadTree(bh); return batch; });
        variants.put("decode", () -> { state.decode(bh); return batch; });
        variants.put("decodeAggregate", () -> { state.decodeAggregate(bh); return batch; });
        variants.put("streamProcessor", () -> { state.streamProcessor(bh); return batch; });
        variants.put("experiment.instantParse", () -> consume(bh, costs::instantParse, costs.size()));
        variants.put("experiment.instantParseFast", () -> consume(bh, costs::instantParseFast, costs.size()));
        variants.put("experiment.orderKeyTwice", () -> consume(bh, costs::orderKeyTwice, costs.size()));
        variants.put("experiment.compareTsThenId", () -> consume(bh, costs::compareTsThenId, costs.size()));
        variants.put("experiment.regexNames", () -> consume(bh, costs::regexNames, costs.size()));
        variants.put("experiment.loopNames", () -> consume(bh, costs::loopNames, costs.size()));

        Map<String, List<Double>> rates = new LinkedHashMap<>();
        Map<String, List<Double>> ratios = new LinkedHashMap<>();
        variants.keySet().forEach(v -> {
            rates.put(v, new ArrayList<>());
            ratios.put(v, new ArrayList<>());
        });
        List<String> names = new ArrayList<>(variants.keySet());
        int warmup = 5;
        for (int cycle = 0; cycle < warmup + cycles; cycle++) {
            Map<String, Double> thisCycle = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((i + cycle) % names.size());
                thisCycle.put(name, slice(variants.get(name), sliceMillis));
            }
            if (cycle >= warmup) {
                double baseline = thisCycle.get(BASELINE);
                thisCycle.forEach((name, rate) -> {
                    rates.get(name).add(rate);
                    ratios.get(name).add(rate / baseline);
                });
            }
        }

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("unit", "records/s on one thread; ratio = records/s of the variant / records/s of Jackson readTree in the same cycle");
        figures.put("fleet", StreamCpuBenchmark.DEVICES + " devices, 3-5 metrics + location, batches of " + batch + ", "
                + StreamCpuBenchmark.SPAN.toSeconds() + " s of event time per cycle of batches");
        figures.put("averageRecordBytes", Results.round(Fleet.averageBytes(records), 1));
        figures.put("cycles", cycles);
        figures.put("sliceMillis", sliceMillis);
        Map<String, Object> perVariant = new LinkedHashMap<>();
        for (String name : names) {
            Map<String, Object> f = new LinkedHashMap<>();
            double rate = Results.median(rates.get(name));
            f.put("recordsPerSecondMedian", Math.round(rate));
            f.put("microsecondsPerRecordMedian", Results.round(1e6 / rate, 3));
            f.put("ratioToBaselineMedian", Results.round(Results.median(ratios.get(name)), 4));
            f.put("ratioToBaselineP25P75", List.of(Results.round(percentile(ratios.get(name), 0.25), 4),
                    Results.round(percentile(ratios.get(name), 0.75), 4)));
            perVariant.put(name, f);
        }
        figures.put("interleaved", perVariant);

        // Each time is derived from the ratio to the same-cycle baseline, so it is as load-proof as the ratio.
        double baselineMicros = 1e6 / Results.median(rates.get(BASELINE));
        Map<String, Double> micros = new LinkedHashMap<>();
        names.forEach(n -> micros.put(n, baselineMicros / Results.median(ratios.get(n))));
        double processorMicros = micros.get("streamProcessor");
        Map<String, Object> proposals = new LinkedHashMap<>();
        proposals.put("fastIsoInstantInDecoder", saving(micros, "experiment.instantParse", "experiment.instantParseFast", processorMicros));
        proposals.put("compareTsThenIdInStreamProcessorNewer", saving(micros, "experiment.orderKeyTwice", "experiment.compareTsThenId", processorMicros));
        proposals.put("characterLoopsForNames", saving(micros, "experiment.regexNames", "experiment.loopNames", processorMicros));
        double allSaved = proposals.values().stream().mapToDouble(p -> (double) ((Map<?, ?>) p).get("microsecondsSavedPerRecord")).sum();
        Map<String, Object> together = new LinkedHashMap<>();
        together.put("microsecondsPerRecordToday", Results.round(processorMicros, 3));
        together.put("microsecondsSavedPerRecord", Results.round(allSaved, 3));
        together.put("streamProcessorSpeedup", Results.round(processorMicros / (processorMicros - allSaved), 3));
        proposals.put("allThree", together);
        figures.put("proposals", proposals);
        figures.put("streamProcessorRecordsPerSecondPerCore", Math.round(1e6 / processorMicros));
        figures.put("goalRecordsPerSecondPerCore", GOAL_RECORDS_PER_SECOND);
        figures.put("goalMet", 1e6 / processorMicros >= GOAL_RECORDS_PER_SECOND);

        List<String> notes = new ArrayList<>();
        notes.add("Interleaved: " + cycles + " cycles after " + warmup + " warm-up cycles; each cycle runs every variant for "
                + sliceMillis + " ms in a rotating order. The machine's 2 cores are shared with other builds (see the load "
                + "averages): absolute records/s move with the load, the same-cycle ratios much less.");
        notes.add("streamProcessor is the real StreamProcessor with an in-memory LiveStateStore that applies WindowState exactly as the "
                + "DynamoDB store does after its read: decode, validate, group, exactly-once apply, latest state, alerts; no I/O.");
        notes.add("experiment.* are the component costs behind the proposals: today's code and a cheaper equivalent, per record.");
        if (!flags.contains("--no-jmh")) {
            figures.put("jmh", jmh());
            notes.add("jmh: StreamCpuBenchmark under JMH, one fork per benchmark, 3 x 1 s warm-up, 5 x 1 s measurement; "
                    + "run after the interleaved part, not interleaved.");
        }
        if (flags.contains("--profile")) {
            figures.put("profile", profile(state, bh));
            notes.add("profile: JFR execution samples (every 2 ms) of the thread running streamProcessor for 10 s; self = top frame, "
                    + "inclusive = anywhere on the stack. Text version: results/stream-cpu-profile.txt");
        }
        results.write(Results.command("benchmarks/bench stream-cpu"), figures, notes);
    }

    private static Map<String, Object> saving(Map<String, Double> micros, String today, String proposed, double processorMicros) {
        Map<String, Object> m = new LinkedHashMap<>();
        double saved = micros.get(today) - micros.get(proposed);
        m.put("microsecondsPerRecordToday", Results.round(micros.get(today), 3));
        m.put("microsecondsPerRecordProposed", Results.round(micros.get(proposed), 3));
        m.put("microsecondsSavedPerRecord", Results.round(saved, 3));
        m.put("shareOfStreamProcessorTime", Results.round(saved / processorMicros, 3));
        return m;
    }

    private static int consume(Blackhole bh, LongSupplier work, int records) {
        bh.consume(work.getAsLong());
        return records;
    }

    /** Runs the slice repeatedly for about {@code millis}; returns records per second. */
    private static double slice(Slice slice, int millis) throws Exception {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        long records = 0;
        long start = System.nanoTime();
        long now;
        do {
            records += slice.run();
            now = System.nanoTime();
        } while (now < deadline);
        return records * 1e9 / (now - start);
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    private static Map<String, Object> jmh() throws RunnerException {
        Map<String, Object> scores = new LinkedHashMap<>();
        for (String benchmark : List.of(BASELINE, "decode", "decodeAggregate", "streamProcessor")) {
            RunResult r = new Runner(new OptionsBuilder()
                    .include(StreamCpuBenchmark.class.getName() + "\\." + benchmark + "$")
                    .forks(1).threads(1)
                    .warmupIterations(3).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1))
                    .jvmArgsAppend("-Xms1g", "-Xmx1g")
                    .shouldFailOnError(true)
                    .build()).runSingle();
            scores.put(benchmark, Map.of("recordsPerSecond", Math.round(r.getPrimaryResult().getScore()),
                    "error99", Math.round(r.getPrimaryResult().getScoreError())));
        }
        return scores;
    }

    private static Map<String, Object> profile(StreamCpuBenchmark state, Blackhole bh) throws IOException {
        Path file = Files.createTempFile("stream-cpu", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(2));
            recording.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() < deadline) {
                state.streamProcessor(bh);
            }
            recording.stop();
            recording.dump(file);
        }
        String thread = Thread.currentThread().getName();
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null
                    || !thread.equals(event.getThread("sampledThread").getJavaName())) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            self.merge(method(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String m = method(frame);
                if (seen.add(m) && !m.startsWith("io.twinflow.benchmarks.") && !m.startsWith("java.lang.Thread.")) {
                    inclusive.merge(m, 1, Integer::sum);
                }
            }
        }
        Files.delete(file);
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("samples", samples);
        profile.put("topSelfPercent", top(self, samples, 25));
        profile.put("topInclusivePercent", top(inclusive, samples, 45));
        StringBuilder text = new StringBuilder("JFR profile of StreamProcessor.process (" + samples + " samples)\n\nself:\n");
        ((Map<?, ?>) profile.get("topSelfPercent")).forEach((m, p) -> text.append(String.format("%6.1f%%  %s%n", (Double) p, m)));
        text.append("\ninclusive:\n");
        ((Map<?, ?>) profile.get("topInclusivePercent")).forEach((m, p) -> text.append(String.format("%6.1f%%  %s%n", (Double) p, m)));
        Files.writeString(Results.directory().resolve("stream-cpu-profile.txt"), text);
        return profile;
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static Map<String, Double> top(Map<String, Integer> counts, int samples, int n) {
        Map<String, Double> top = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())).limit(n)
                .forEach(e -> top.put(e.getKey(), Results.round(100.0 * e.getValue() / samples, 1)));
        return top;
    }

    static int intArg(String[] args, String name, int fallback) {
        return Integer.parseInt(stringArg(args, name, String.valueOf(fallback)));
    }

    static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
