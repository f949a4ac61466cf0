package io.twinflow.infra;

import io.twinflow.core.pipeline.PipelineSpec;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kinesis.StreamMode;

/**
 * The choices a deployer makes through CDK context ({@code -c key=value} or {@code cdk.json}); the
 * README lists them. Everything else comes from {@link PipelineSpec}.
 *
 * @param spec names and settings, from the {@code prefix} context (default {@code twinflow})
 * @param streamMode {@code streamMode}: {@code on-demand} (default) or {@code provisioned} with the spec's shard count
 * @param alarmEmail {@code alarmEmail}: subscribed to the alarm topic when given
 * @param removalPolicy {@code retainData}: {@code true} (default) keeps tables, buckets, stream, key and
 *     warehouse on {@code cdk destroy}; {@code false} deletes them with the stack
 * @param placeholderArtifacts {@code placeholderArtifacts}: {@code true} lets synth stand in placeholders
 *     for unbuilt jars (template checks only; never deploy such a synth)
 * @param functionsJar {@code functionsJar}: path of the functions' Lambda jar, overriding the build output
 * @param glueJar {@code glueJar}: path of the Glue job jar, overriding the build output
 * @param glueEntryScript {@code glueEntryScript}: path of the Glue entry script, overriding the repository's
 * @param apiRateLimit {@code apiRateLimit}: the live API stage's steady rate, requests per second (default
 *     {@value #DEFAULT_API_RATE_LIMIT})
 * @param apiBurstLimit {@code apiBurstLimit}: the live API stage's burst, requests (default {@value #DEFAULT_API_BURST_LIMIT})
 * @param tracing {@code tracing}: {@code true} turns on X-Ray active tracing for every function (default {@code false})
 * @param source {@code source}: the stream feeding the stream-processor, {@code kinesis} (default), {@code msk}
 *     (Amazon MSK Serverless) or {@code both}
 */
public record StackSettings(PipelineSpec spec, StreamMode streamMode, String alarmEmail, RemovalPolicy removalPolicy,
                            boolean placeholderArtifacts, Path functionsJar, Path glueJar, Path glueEntryScript,
                            int apiRateLimit, int apiBurstLimit, boolean tracing, Source source) {

    /** Which stream feeds the stream-processor. The Kinesis stream and its archive are there in every case. */
    public enum Source {
        KINESIS, MSK, BOTH;

        public boolean msk() {
            return this != KINESIS;
        }

        public boolean kinesis() {
            return this != MSK;
        }
    }

    public static final String PREFIX = "prefix";
    public static final String STREAM_MODE = "streamMode";
    public static final String ALARM_EMAIL = "alarmEmail";
    public static final String RETAIN_DATA = "retainData";
    public static final String PLACEHOLDER_ARTIFACTS = "placeholderArtifacts";
    public static final String FUNCTIONS_JAR = "functionsJar";
    public static final String GLUE_JAR = "glueJar";
    public static final String GLUE_ENTRY_SCRIPT = "glueEntryScript";
    public static final String API_RATE_LIMIT = "apiRateLimit";
    public static final String API_BURST_LIMIT = "apiBurstLimit";
    public static final String TRACING = "tracing";
    public static final int DEFAULT_API_RATE_LIMIT = 50;
    public static final int DEFAULT_API_BURST_LIMIT = 100;
    public static final String SOURCE = "source";

    public static StackSettings defaults() {
        return fromContext(key -> null);
    }

    /** Reads the settings through a context lookup ({@code node.tryGetContext}); values may be strings or booleans. */
    public static StackSettings fromContext(Function<String, Object> context) {
        String prefix = text(context, PREFIX);
        String mode = text(context, STREAM_MODE);
        return new StackSettings(
                prefix == null ? PipelineSpec.defaults() : PipelineSpec.withPrefix(prefix),
                streamMode(mode),
                text(context, ALARM_EMAIL),
                flag(context, RETAIN_DATA, true) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
                flag(context, PLACEHOLDER_ARTIFACTS, false),
                path(context, FUNCTIONS_JAR),
                path(context, GLUE_JAR),
                path(context, GLUE_ENTRY_SCRIPT),
                positive(context, API_RATE_LIMIT, DEFAULT_API_RATE_LIMIT),
                positive(context, API_BURST_LIMIT, DEFAULT_API_BURST_LIMIT),
                flag(context, TRACING, false),
                source(text(context, SOURCE)));
    }

    private static Source source(String value) {
        if (value == null) {
            return Source.KINESIS;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "kinesis" -> Source.KINESIS;
            case "msk" -> Source.MSK;
            case "both" -> Source.BOTH;
            default -> throw new IllegalArgumentException(SOURCE + " must be kinesis, msk or both, got " + value);
        };
    }

    private static StreamMode streamMode(String mode) {
        if (mode == null) {
            return PipelineSpec.Deployment.DEFAULT.streamOnDemand() ? StreamMode.ON_DEMAND : StreamMode.PROVISIONED;
        }
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "on-demand", "on_demand", "ondemand" -> StreamMode.ON_DEMAND;
            case "provisioned" -> StreamMode.PROVISIONED;
            default -> throw new IllegalArgumentException(STREAM_MODE + " must be on-demand or provisioned, got " + mode);
        };
    }

    private static String text(Function<String, Object> context, String key) {
        Object value = context.apply(key);
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }

    private static boolean flag(Function<String, Object> context, String key, boolean fallback) {
        String value = text(context, key);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, got " + value);
        };
    }

    private static int positive(Function<String, Object> context, String key, int fallback) {
        String value = text(context, key);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // Answered below, with the key and the value.
        }
        throw new IllegalArgumentException(key + " must be a whole number above 0, got " + value);
    }

    private static Path path(Function<String, Object> context, String key) {
        String value = text(context, key);
        return value == null ? null : Path.of(value);
    }
}
