package io.twinflow.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.twinflow.core.settings.FunctionEnvironment;
import io.twinflow.emulators.EmbeddedDynamoDb;
import io.twinflow.functions.stream.StreamRecord;
import io.twinflow.live.LiveTables;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Cold start of the stream-processor from its shaded Lambda jar: a fresh child JVM per run
 * ({@link ColdStartProbe}), wall time from process start to the first batch of 500 records written to
 * dynalite, next to the floor of an empty JVM started the same way. Also the HTTP clients'
 * share: a DynamoDB client built on URLConnection, Apache or CRT, and its first call. All variants run
 * in every round, in a rotating order; figures are medians over rounds.
 *
 * <p>The experiment behind the jar-size proposal runs here too: the same jar without the classes the
 * stream-processor never loads (Netty, Apache HttpClient 5, the PostgreSQL driver, the Redshift Data
 * client), which must still process the batch.
 *
 * <p>Arguments: {@code [--runs N]} (default 7), {@code [--java-home JDK]} (the child JVMs' JDK; default this
 * one's). Needs {@code functions/target/*-lambda.jar}.
 */
public final class ColdStart {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> LAMBDA_LIKE_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

    private ColdStart() {
    }

    record Variant(String name, List<String> jvmFlags, String classPath, List<String> args, boolean handler) {
    }

    public static void main(String[] args) throws Exception {
        int runs = StreamCpu.intArg(args, "--runs", 7);
        // The stack deploys on Lambda's Java 25 runtime: point this at a JDK 25 to measure on the same JVM.
        Path javaHome = Path.of(StreamCpu.stringArg(args, "--java-home", System.getProperty("java.home")));
        Path java = javaHome.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            throw new IllegalArgumentException("--java-home " + javaHome + " has no bin/java: give the home directory of a JDK");
        }
        Results results = new Results("cold-start");
        Path work = Files.createTempDirectory("twinflow-cold-start");
        Path home = Path.of(System.getProperty("twinflow.home", "."));
        Path jar = Files.copy(ColdStartClassPaths.functionJar(home), work.resolve("function.jar"));
        Path trimmed = ColdStartClassPaths.trim(jar, work.resolve("function-trimmed.jar"));
        Path records = writeRecords(work.resolve("records.tsv"));
        String probe = ColdStartClassPaths.probeClasses();
        String clientPath = String.join(File.pathSeparator, jar.toString(), probe, ColdStartClassPaths.httpClientClassPath());

        Map<String, List<JsonNode>> measured = new LinkedHashMap<>();
        try (EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(); DynamoDbClient client = dynamo.dynamoDbClient()) {
            LiveTables.createAll(client, "cold-probe-state", "cold-probe-windows", "cold-probe-alerts");
            List<Variant> variants = List.of(
                    new Variant("jvmFloor", List.of(), jar + File.pathSeparator + probe, List.of("empty"), false),
                    new Variant("handler", List.of(), jar + File.pathSeparator + probe, List.of("handler", records.toString()), true),
                    new Variant("handlerLambdaFlags", LAMBDA_LIKE_FLAGS, jar + File.pathSeparator + probe, List.of("handler", records.toString()), true),
                    new Variant("handlerSnapStart", List.of(), jar + File.pathSeparator + probe, List.of("snapstart", records.toString()), true),
                    new Variant("handlerTrimmedJar", List.of(), trimmed + File.pathSeparator + probe, List.of("handler", records.toString()), true),
                    new Variant("clientUrlConnection", List.of(), clientPath,
                            List.of("client", "urlconnection", dynamo.endpoint().toString(), "cold-probe-windows"), false),
                    new Variant("clientApache", List.of(), clientPath, List.of("client", "apache", dynamo.endpoint().toString(), "cold-probe-windows"), false),
                    new Variant("clientCrt", List.of(), clientPath, List.of("client", "crt", dynamo.endpoint().toString(), "cold-probe-windows"), false));
            variants.forEach(v -> measured.put(v.name(), new ArrayList<>()));
            int prefixes = 0;
            for (int round = 0; round < runs; round++) {
                for (int i = 0; i < variants.size(); i++) {
                    Variant v = variants.get((i + round) % variants.size());
                    String prefix = "cs" + (++prefixes);
                    if (v.handler()) {
                        // Fresh tables each run, so every first batch writes new windows, never duplicates.
                        LiveTables.createAll(client, prefix + "-device-state", prefix + "-device-windows", prefix + "-alerts");
                    }
                    measured.get(v.name()).add(runChild(java, v, prefix, dynamo.endpoint().toString()));
                }
            }
        }

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("runsPerVariant", runs);
        figures.put("childJvm", childJvmVersion(java));
        figures.put("functionJarMb", ColdStartClassPaths.mb(Files.size(jar)));
        figures.put("functionJarGoalMb", 20);
        figures.put("trimmedJarMb", ColdStartClassPaths.mb(Files.size(trimmed)));
        figures.put("trimmedAway", ColdStartClassPaths.NOT_NEEDED_BY_STREAM_PROCESSOR);
        figures.put("httpClientJarsMb", ColdStartClassPaths.httpClientJarSizes());
        Map<String, Object> medians = new LinkedHashMap<>();
        measured.forEach((name, list) -> medians.put(name, medians(list)));
        figures.put("medians", medians);
        double floor = median(measured.get("jvmFloor"), "wallMs");
        double handler = median(measured.get("handler"), "wallToFirstBatchMs");
        double url = median(measured.get("clientUrlConnection"), "initMs");
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("handlerWallToFirstBatchToJvmFloor", Results.round(handler / floor, 2));
        ratios.put("handlerLambdaFlagsWallToHandler", Results.round(median(measured.get("handlerLambdaFlags"), "wallToFirstBatchMs") / handler, 3));
        ratios.put("trimmedJarWallToHandler", Results.round(median(measured.get("handlerTrimmedJar"), "wallToFirstBatchMs") / handler, 3));
        ratios.put("apacheInitToUrlConnection", Results.round(median(measured.get("clientApache"), "initMs") / url, 2));
        ratios.put("crtInitToUrlConnection", Results.round(median(measured.get("clientCrt"), "initMs") / url, 2));
        ratios.put("apacheFirstCallToUrlConnection", Results.round(median(measured.get("clientApache"), "firstCallMs")
                / median(measured.get("clientUrlConnection"), "firstCallMs"), 2));
        ratios.put("crtFirstCallToUrlConnection", Results.round(median(measured.get("clientCrt"), "firstCallMs")
                / median(measured.get("clientUrlConnection"), "firstCallMs"), 2));
        figures.put("ratios", ratios);
        figures.put("initGoalMs", 1000);
        figures.put("initGoalMet", median(measured.get("handler"), "initMs") <= 1000);
        figures.put("firstBatchGoalMs", 1000);
        figures.put("firstBatchGoalMet", median(measured.get("handler"), "firstBatchMs") <= 1000);
        figures.put("snapStartFirstBatchGoalMet", median(measured.get("handlerSnapStart"), "firstBatchMs") <= 1000);
        figures.put("jarGoalMet", Files.size(jar) <= 20L * 1024 * 1024);
        figures.put("allRuns", measured);
        results.write(Results.command("benchmarks/bench cold-start"), figures, List.of(
                "wallToFirstBatchMs: from ProcessBuilder.start() until the child reports its first batch processed (JVM start, class loading, "
                        + "init, first invoke); wallMs: until it exits its work (also the second batch).",
                "handler: new StreamProcessorHandler() from its environment (what the Lambda runtime calls), then two batches of 500 records "
                        + "written to dynalite; initMs is Lambda's Init phase, firstBatchMs the first invoke. The Lambda runtime client's own "
                        + "start and event deserialisation are not included.",
                "handlerLambdaFlags: -XX:TieredStopAtLevel=1 (C1 only), what Lambda's Java 17, 21 and 25 runtimes use by default "
                        + "without SnapStart.",
                "handlerSnapStart: the stack's configuration (SnapStart on Java 25, which then keeps the JVM's default flags): "
                        + "init includes the checkpoint hook SnapStart runs before its snapshot (a rehearsed batch on offline clients), and "
                        + "the first batch is what a restored copy does first. The restore itself happens in AWS and is not modelled.",
                "classesLoadedInInit / classesLoadedInFirstBatch: classes the JVM loaded in each phase, a figure the machine's load "
                        + "does not change.",
                "client*: DynamoDbClient.builder().httpClient(...).build() (initMs) and one DescribeTable (firstCallMs), "
                        + "on the function jar plus the client's jars.",
                "Every variant runs once per round in a rotating order; figures are medians. The machine's 2 cores are shared with other builds."));
        try (Stream<Path> files = Files.list(work)) {
            files.forEach(f -> f.toFile().delete());
        }
        Files.delete(work);
    }

    private static JsonNode runChild(Path java, Variant v, String prefix, String dynamoEndpoint) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(v.jvmFlags());
        command.addAll(List.of("-cp", v.classPath(), ColdStartProbe.class.getName()));
        command.addAll(v.args());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("TWINFLOW_") || k.equals("JAVA_TOOL_OPTIONS"));
        env.put(FunctionEnvironment.REGION, "us-east-1");
        env.put(FunctionEnvironment.PREFIX, prefix);
        env.put(FunctionEnvironment.ENDPOINT_DYNAMODB, dynamoEndpoint);
        env.put(FunctionEnvironment.ENDPOINT_S3, "http://127.0.0.1:9"); // no record is quarantined: never called
        long started = System.nanoTime();
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        String ready = null;
        double firstBatchWallMs = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("FIRST")) {
                    firstBatchWallMs = (System.nanoTime() - started) / 1e6;
                } else if (ready == null && line.startsWith("READY ")) {
                    ObjectNode result = ((ObjectNode) JSON.readTree(line.substring(6)))
                            .put("wallMs", Results.round((System.nanoTime() - started) / 1e6, 1));
                    if (firstBatchWallMs >= 0) {
                        result.put("wallToFirstBatchMs", Results.round(firstBatchWallMs, 1));
                    }
                    ready = JSON.writeValueAsString(result);
                } else {
                    output.append(line).append('\n');
                }
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0 || ready == null) {
            process.destroyForcibly();
            throw new IllegalStateException(v.name() + " failed:\n" + output);
        }
        JsonNode result = JSON.readTree(ready);
        if (result.path("failures").asInt(0) != 0) {
            throw new IllegalStateException(v.name() + " reported failed records: " + result);
        }
        return result;
    }

    private static String childJvmVersion(Path java) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
        String first = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        process.waitFor();
        return first;
    }

    /** Two batches of 500 records of the benchmark fleet, in the probe's line format. */
    private static Path writeRecords(Path file) throws IOException {
        List<StreamRecord> records = new Fleet(100, Duration.ofSeconds(1), 11)
                .records(Instant.parse("2026-11-24T10:00:00Z"), Duration.ofSeconds(10), "shardId-000000000000");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            StreamRecord r = records.get(i);
            lines.add((i / 500) + "\t" + r.sequenceNumber() + "\t" + r.partitionKey() + "\t" + r.arrivalTime().toEpochMilli()
                    + "\t" + Base64.getEncoder().encodeToString(r.data()));
        }
        return Files.write(file, lines);
    }

    private static Map<String, Object> medians(List<JsonNode> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        runs.get(0).fieldNames().forEachRemaining(field -> m.put(field, Results.round(median(runs, field), 1)));
        return m;
    }

    private static double median(List<JsonNode> runs, String field) {
        return Results.median(runs.stream().map(r -> r.path(field).asDouble()).toList());
    }
}
