package io.twinflow.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.aggregate.WindowAggregate;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.event.DecodeResult;
import io.twinflow.core.event.EventDecoder;
import io.twinflow.core.event.TelemetryEvent;
import io.twinflow.core.settings.RollupArguments;
import io.twinflow.core.window.Windows;
import io.twinflow.emulators.EmbeddedS3;
import io.twinflow.functions.stream.StreamRecord;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The daily-rollup Spark job (glue-scripts, launched as its README says, in its own JVM, Spark
 * {@code local[2]}) on one day of 1,000,000 events in s3proxy, against a baseline in this JVM: one
 * thread reading the same objects with the SDK, decoding with core, dropping repeated eventIds and
 * aggregating per device and per device-hour with core's aggregates (no Parquet, no warehouse). The
 * baseline runs before and after the Spark job and its mean is the reference. Between them the same launch
 * runs glue-scripts' benchmark-only {@code DecodeFloor} (list + read + gunzip + core decode, nothing else): the
 * floor of any rollup on {@code local[2]}.
 *
 * <p>Arguments: {@code [--events N]} (default 1,000,000). Needs {@code glue-scripts/target/glue-local.args}
 * and glue-scripts' test classes ({@code mvn -pl glue-scripts -am package -DskipTests}).
 */
public final class SparkRollup {

    private static final String BUCKET = "bench-raw";
    private static final LocalDate DAY = LocalDate.parse("2026-11-23");
    private static final Windows WINDOWS = new Windows(Windows.DEFAULT_SIZE);
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB = "io.twinflow.glue.DailyRollupJob";
    /** Benchmark only, in glue-scripts' test classes (never in the -glue jar). */
    private static final String FLOOR = "io.twinflow.glue.DecodeFloor";

    private SparkRollup() {
    }

    public static void main(String[] args) throws Exception {
        int events = StreamCpu.intArg(args, "--events", 1_000_000);
        Path home = Path.of(System.getProperty("twinflow.home", "."));
        Path argsFile = home.resolve("glue-scripts/target/glue-local.args");
        if (!Files.exists(argsFile)) {
            throw new IllegalStateException("no " + argsFile + ": build it with mvn -pl glue-scripts -am package -DskipTests");
        }
        argsFile = privateCopy(argsFile);
        Results results = new Results("spark-rollup");
        Map<String, Object> figures = new LinkedHashMap<>();
        try (EmbeddedS3 s3Server = EmbeddedS3.start(); S3Client s3 = s3Server.s3Client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            s3.createBucket(b -> b.bucket("bench-curated"));
            int devices = 1_000;
            List<StreamRecord> records = new Fleet(devices, Duration.ofMinutes(1), 3)
                    .records(DAY.atStartOfDay().toInstant(ZoneOffset.UTC).plus(Duration.ofHours(2)), Duration.ofMinutes(events / devices),
                            "shardId-000000000000");
            long gzipBytes = upload(s3, records);
            records = null; // about 400 MB: free it before the runs

            double before = baseline(s3);
            long t0 = System.nanoTime();
            JsonNode report = spark(argsFile, JOB, s3Server.endpoint().toString());
            double sparkSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            JsonNode floor = spark(argsFile, FLOOR, s3Server.endpoint().toString());
            double floorSeconds = (System.nanoTime() - t1) / 1e9;
            double after = baseline(s3);

            long lines = report.path("linesRead").asLong();
            double baselineRate = lines / ((before + after) / 2);
            figures.put("events", lines);
            figures.put("devices", devices);
            figures.put("objects", report.path("objects").asInt());
            figures.put("gzipMb", Results.round(gzipBytes / 1024.0 / 1024.0, 2));
            figures.put("sparkLocal2EventsPerSecondWall", Math.round(lines / sparkSeconds));
            figures.put("sparkLocal2EventsPerSecondJobReport", report.path("eventsPerSecond").asLong());
            figures.put("sparkWallSeconds", Results.round(sparkSeconds, 1));
            figures.put("baselineOneThreadEventsPerSecond", Math.round(baselineRate));
            figures.put("baselineSecondsBeforeAndAfter", List.of(Results.round(before, 1), Results.round(after, 1)));
            figures.put("ratioSparkWallToBaseline", Results.round((lines / sparkSeconds) / baselineRate, 3));
            // The job's own figure leaves out the JVM and Spark start (about 10 s on a quiet machine), which a
            // Glue run pays once per job, not per day rolled up.
            figures.put("ratioSparkJobToBaseline", Results.round(report.path("eventsPerSecond").asDouble() / baselineRate, 3));
            // The floor: the same launch doing only list + read + gunzip + core decode of every line (glue-scripts'
            // test-only DecodeFloor): what local[2] costs before any of the rollup's own work.
            figures.put("floorDecodeOnlyWallSeconds", Results.round(floorSeconds, 1));
            figures.put("floorDecodeOnlyEventsPerSecondWall", Math.round(floor.path("linesRead").asLong() / floorSeconds));
            figures.put("floorDecodeOnlyEventsPerSecondJob", floor.path("eventsPerSecond").asLong());
            figures.put("ratioFloorWallToBaseline", Results.round((floor.path("linesRead").asLong() / floorSeconds) / baselineRate, 3));
            figures.put("ratioFloorJobToBaseline", Results.round(floor.path("eventsPerSecond").asDouble() / baselineRate, 3));
            figures.put("jobReport", JSON.convertValue(report, Map.class));
        }
        results.write(Results.command("benchmarks/bench spark-rollup"), figures, List.of(
                "Spark: java @glue-scripts/target/glue-local.args -Xmx2g with spark.master=local[2], DailyRollupJob --date " + DAY
                        + " --warehouse none; wall time from process start to exit (JVM and Spark start included), and the job's own events/s.",
                "Baseline: one thread in the benchmark JVM: list + GET + gunzip + core decode + first-copy dedupe + per-device and "
                        + "per-device-hour aggregates; it writes no Parquet, so it is a floor for the work, not the same output.",
                "Floor: the same launch (process start to exit) running glue-scripts' benchmark-only DecodeFloor instead of the job: "
                        + "list + read + gunzip + core decode of every line, no shuffle, no Parquet, no aggregates.",
                "Both read from the same in-process s3proxy; each result records the load average of the machine it ran on."));
    }

    /**
     * The argument file with the -glue jar copied aside: glue-scripts may be rebuilt by another build
     * while the job runs, and a jar rewritten under a running JVM loses classes.
     */
    private static Path privateCopy(Path argsFile) throws IOException {
        Path dir = Files.createTempDirectory("twinflow-spark-rollup");
        // Registered before what it holds: the JVM deletes in reverse order, a directory after its files.
        dir.toFile().deleteOnExit();
        String args = Files.readString(argsFile);
        try (var jars = Files.list(argsFile.getParent())) {
            for (Path jar : jars.filter(p -> p.getFileName().toString().endsWith("-glue.jar")).toList()) {
                Path copy = Files.copy(jar, dir.resolve(jar.getFileName()));
                copy.toFile().deleteOnExit();
                args = args.replace(jar.toAbsolutePath().toString(), copy.toString());
            }
        }
        // The benchmark-only floor class from glue-scripts' test classes (compiled by package -DskipTests), after the job's classpath.
        Path floorClasses = argsFile.getParent().resolve("test-classes");
        Path floorPackage = floorClasses.resolve(FLOOR.substring(0, FLOOR.lastIndexOf('.')).replace('.', '/'));
        String floorName = FLOOR.substring(FLOOR.lastIndexOf('.') + 1);
        Path floorCopy = dir.resolve("floor-classes");
        Path copiedPackage = Files.createDirectories(floorCopy.resolve(floorClasses.relativize(floorPackage)));
        for (int depth = dir.getNameCount() + 1; depth <= copiedPackage.getNameCount(); depth++) {
            copiedPackage.getRoot().resolve(copiedPackage.subpath(0, depth)).toFile().deleteOnExit();
        }
        try (var classes = Files.list(floorPackage)) {
            for (Path c : classes.filter(p -> p.getFileName().toString().matches(floorName + "(\\$.*)?\\.class")).toList()) {
                Files.copy(c, copiedPackage.resolve(c.getFileName())).toFile().deleteOnExit();
            }
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no " + floorPackage + ": build it with mvn -pl glue-scripts -am package -DskipTests", e);
        }
        args = args.replaceFirst("(?m)^(-cp \\S+)", "$1:" + Matcher.quoteReplacement(floorCopy.toString()));
        Path copied = Files.writeString(dir.resolve("glue-local.args"), args);
        copied.toFile().deleteOnExit();
        return copied;
    }

    /** Objects by arrival hour, as the archiver names them, about 10,000 lines each. */
    private static long upload(S3Client s3, List<StreamRecord> records) throws IOException {
        Map<String, List<StreamRecord>> byHour = new LinkedHashMap<>();
        records.forEach(r -> byHour.computeIfAbsent(HOUR.format(r.arrivalTime()), k -> new ArrayList<>()).add(r));
        long bytes = 0;
        int n = 0;
        for (Map.Entry<String, List<StreamRecord>> hour : byHour.entrySet()) {
            List<StreamRecord> lines = hour.getValue();
            for (int from = 0; from < lines.size(); from += 10_000) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                    for (StreamRecord r : lines.subList(from, Math.min(lines.size(), from + 10_000))) {
                        gz.write(ArchiveLine.encode(r.data(), r.arrivalTime(), r.shardId(), r.sequenceNumber()));
                    }
                }
                byte[] body = out.toByteArray();
                String key = "raw/" + hour.getKey() + "/bench-" + (n++) + ".json.gz";
                s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
                bytes += body.length;
            }
        }
        return bytes;
    }

    /** Seconds for the one-thread rollup of every object. */
    private static double baseline(S3Client s3) throws IOException {
        long t0 = System.nanoTime();
        EventDecoder decoder = new EventDecoder();
        Set<String> seen = new HashSet<>();
        Map<String, WindowAggregate.Builder> daily = new HashMap<>();
        Map<String, WindowAggregate.Builder> hourly = new HashMap<>();
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("raw/")).contents().forEach(objects::add);
        for (S3Object o : objects) {
            byte[] gz = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key())).asByteArray();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(gz)), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (ArchiveLine.read(line.getBytes(StandardCharsets.UTF_8), o.lastModified()) instanceof ArchiveLine.Record r
                            && decoder.decode(r.record().data(), r.record().arrival()) instanceof DecodeResult.Valid v) {
                        TelemetryEvent e = v.event();
                        // The event's identity: device, eventId and window, as every path counts it.
                        if (LocalDate.ofInstant(e.ts(), ZoneOffset.UTC).equals(DAY)
                                && seen.add(e.deviceId() + "|" + e.eventId() + "|" + WINDOWS.startOf(e.ts()))) {
                            daily.computeIfAbsent(e.deviceId(), k -> WindowAggregate.builder()).add(e);
                            hourly.computeIfAbsent(e.deviceId() + "|" + e.ts().atZone(ZoneOffset.UTC).getHour(), k -> WindowAggregate.builder()).add(e);
                        }
                    }
                }
            }
        }
        daily.values().forEach(WindowAggregate.Builder::build);
        hourly.values().forEach(WindowAggregate.Builder::build);
        return (System.nanoTime() - t0) / 1e9;
    }

    private static JsonNode spark(Path argsFile, String mainClass, String s3Endpoint) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + argsFile, "-Xmx2g",
                "-Dspark.master=local[2]", "-Dspark.driver.bindAddress=127.0.0.1", "-Dspark.driver.host=127.0.0.1",
                "-Dspark.ui.enabled=false",
                "-Dspark.hadoop.fs.s3a.endpoint=" + s3Endpoint,
                "-Dspark.hadoop.fs.s3a.endpoint.region=us-east-1",
                "-Dspark.hadoop.fs.s3a.path.style.access=true",
                "-Dspark.hadoop.fs.s3a.connection.ssl.enabled=false",
                "-Dspark.hadoop.fs.s3a.aws.credentials.provider=org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
                "-Dspark.hadoop.fs.s3a.access.key=twinflow", "-Dspark.hadoop.fs.s3a.secret.key=twinflow",
                mainClass));
        // A profile of the job alone, e.g. "-XX:StartFlightRecording=filename=/tmp/job.jfr -Dspark.eventLog.enabled=true".
        String extra = System.getenv().getOrDefault("TWINFLOW_BENCH_SPARK_JAVA_OPTS", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(command.size() - 1, List.of(extra.split("\\s+")));
        }
        command.addAll(List.of(
                RollupArguments.DATE, DAY.toString(), RollupArguments.RAW_URI, "s3a://" + BUCKET + "/raw/",
                RollupArguments.CURATED_URI, "s3a://bench-curated/events/", RollupArguments.WAREHOUSE, RollupArguments.WAREHOUSE_NONE));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String last = null;
        StringBuilder output = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("{")) {
                    last = line;
                }
            }
        }
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0 || last == null) {
            throw new IllegalStateException(mainClass + " failed:\n" + output);
        }
        return JSON.readTree(last);
    }
}
