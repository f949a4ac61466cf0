package io.twinflow.core.pipeline;

import io.twinflow.core.window.Windows;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The one source of truth for resource names and settings that the CDK stack, the embedded local
 * runtime, the LocalStack init and the CLI all need. Nothing else spells a table or stream name.
 *
 * <p>Names are derived from a {@code prefix} (default {@code twinflow}) so that several copies of the
 * pipeline can live in one account or on one laptop. Bucket names in AWS must be globally unique, so
 * the CDK stack lets CloudFormation name the buckets and hands the real names to the functions through
 * the environment; the logical names here are what the local runtimes create.
 */
public record PipelineSpec(
        String prefix,
        Stream stream,
        Tables tables,
        Buckets buckets,
        Queues queues,
        StreamMapping streamMapping,
        Archive archive,
        Schedules schedules,
        Warehouse warehouse,
        Duration window) {

    public static final String DEFAULT_PREFIX = "twinflow";

    public PipelineSpec {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(stream, "stream");
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(buckets, "buckets");
        Objects.requireNonNull(queues, "queues");
        Objects.requireNonNull(streamMapping, "streamMapping");
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(schedules, "schedules");
        Objects.requireNonNull(warehouse, "warehouse");
        Objects.requireNonNull(window, "window");
        new Windows(window); // the window rules live in one place
    }

    /** The pipeline as it is deployed and run locally by default. */
    public static PipelineSpec defaults() {
        return withPrefix(DEFAULT_PREFIX);
    }

    public static PipelineSpec withPrefix(String prefix) {
        // Lower-case words joined by single dashes: valid in every table, stream, queue and bucket name.
        if (prefix.length() < 2 || prefix.length() > 31 || !prefix.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException(
                    "prefix must be 2-31 chars: lower-case letters and digits in words joined by single dashes, starting with a letter: " + prefix);
        }
        return new PipelineSpec(
                prefix,
                new Stream(prefix + "-telemetry", 2),
                new Tables(prefix + "-device-state", prefix + "-device-windows", prefix + "-alerts"),
                new Buckets(prefix + "-raw", prefix + "-curated", prefix + "-quarantine", "raw/", "events/", "quarantine/", "errors/"),
                new Queues(prefix + "-stream-failures", prefix + "-schedule-dlq"),
                StreamMapping.builder().build(),
                new Archive(Duration.ofSeconds(60), 5 * 1024 * 1024),
                new Schedules("cron(5 * * * ? *)", "cron(30 3 * * ? *)", Duration.ofHours(3)),
                new Warehouse("twinflow", "telemetry"),
                Duration.ofMinutes(1));
    }

    /** Names of the compute: the two Lambda functions and the Glue job, derived from the prefix. */
    public Functions functions() {
        return new Functions(prefix + "-stream-processor", prefix + "-batch-loader", prefix + "-daily-rollup");
    }

    public record Functions(String streamProcessor, String batchLoader, String rollupJob) {
    }

    /** What the CDK stack provisions beyond the names and settings above (the local runtime has no use for it). */
    public Deployment deployment() {
        return Deployment.DEFAULT;
    }

    /**
     * The sizes the CDK stack deploys, which the local runtime cannot honour but costs depend on: the
     * stack reads them from here, and so does {@code twinflow tradeoff} when it prices a run.
     *
     * @param streamOnDemand the stream's default capacity mode: on-demand, or provisioned with {@link Stream#shardCount}
     * @param batchLoaderTimeout how long a loader run may take before Lambda stops it
     * @param lambdaOnGraviton every function on arm64 (Graviton) rather than x86_64
     * @param framerBufferInterval how long Firehose buffers before calling the archive framer (before the
     *     bucket's own {@link Archive#bufferInterval}), or until it holds {@code framerBufferMib}
     * @param glueWorkerType the rollup's Glue worker type ({@code G.1X}: 1 DPU each)
     * @param glueTimeout how long a rollup run may take before Glue stops it
     * @param warehouseBaseRpu the Redshift Serverless workgroup's base capacity
     */
    public record Deployment(boolean streamOnDemand, int streamProcessorMemoryMb, int batchLoaderMemoryMb, Duration batchLoaderTimeout,
                             int archiveFramerMemoryMb, boolean lambdaOnGraviton, Duration framerBufferInterval, int framerBufferMib,
                             String glueWorkerType, int glueWorkers, Duration glueTimeout, int warehouseBaseRpu) {

        /** As deployed: see infra-cdk's README for why each is what it is. */
        public static final Deployment DEFAULT = new Deployment(true, 1024, 512, Duration.ofMinutes(10), 512, true, Duration.ofSeconds(60), 1,
                "G.1X", 2, Duration.ofMinutes(60), 8);
    }

    /** The Kinesis data stream the devices write to; the partition key is the device id. */
    public record Stream(String name, int shardCount) {
        public Stream {
            if (shardCount < 1) {
                throw new IllegalArgumentException("shardCount must be >= 1");
            }
        }
    }

    /** DynamoDB tables holding the live state (see the README for keys and attributes). */
    public record Tables(String deviceState, String deviceWindows, String alerts) {
    }

    /**
     * S3 buckets and key prefixes. Raw objects land under {@code rawPrefix + "dt=YYYY-MM-DD/hour=HH/"};
     * the rollup's curated Parquet under {@code curatedPrefix + "dt=YYYY-MM-DD/"} in the curated bucket;
     * quarantined records under {@code quarantinePrefix + "dt=YYYY-MM-DD/"} in the quarantine bucket;
     * Firehose delivery errors under {@code errorPrefix}.
     */
    public record Buckets(String raw, String curated, String quarantine,
                          String rawPrefix, String curatedPrefix, String quarantinePrefix, String errorPrefix) {
    }

    /** SQS queues: the stream mapping's on-failure destination and the schedules' dead-letter queue. */
    public record Queues(String streamFailures, String scheduleDeadLetter) {
    }

    /**
     * Settings of the Kinesis event source mapping of the stream-processor function. The local runtime
     * honours the same values. Build one with {@link #builder()}: every setting is named and starts at
     * the deployed value, so a test or a benchmark says only what it changes.
     */
    public record StreamMapping(int batchSize, Duration maxBatchingWindow, boolean bisectOnError,
                                boolean reportBatchItemFailures, int maxRetries, Duration maxRecordAge,
                                int parallelizationFactor) {
        public StreamMapping {
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException("batchSize must be 1..10000");
            }
            if (maxRetries < -1 || maxRetries > 10_000) {
                throw new IllegalArgumentException("maxRetries must be -1 (infinite) .. 10000");
            }
            if (parallelizationFactor < 1 || parallelizationFactor > 10) {
                throw new IllegalArgumentException("parallelizationFactor must be 1..10");
            }
        }

        /** The deployed settings, each of which the builder can change. */
        public static Builder builder() {
            return new Builder();
        }

        /** A builder that starts from these settings. */
        public Builder toBuilder() {
            return new Builder().batchSize(batchSize).maxBatchingWindow(maxBatchingWindow).bisectOnError(bisectOnError)
                    .reportBatchItemFailures(reportBatchItemFailures).maxRetries(maxRetries).maxRecordAge(maxRecordAge)
                    .parallelizationFactor(parallelizationFactor);
        }

        /** Named settings with the deployed defaults; {@link #build} checks them. */
        public static final class Builder {
            private int batchSize = 500;
            private Duration maxBatchingWindow = Duration.ofSeconds(1);
            private boolean bisectOnError = true;
            private boolean reportBatchItemFailures = true;
            private int maxRetries = 5;
            private Duration maxRecordAge = Duration.ofHours(6);
            private int parallelizationFactor = 1;

            private Builder() {
            }

            /** Records per invocation at most (1..10000); default 500. */
            public Builder batchSize(int batchSize) {
                this.batchSize = batchSize;
                return this;
            }

            /** How long to gather records before invoking; default 1 s. */
            public Builder maxBatchingWindow(Duration maxBatchingWindow) {
                this.maxBatchingWindow = Objects.requireNonNull(maxBatchingWindow, "maxBatchingWindow");
                return this;
            }

            /** Split a batch in two on a function error; default on. */
            public Builder bisectOnError(boolean bisectOnError) {
                this.bisectOnError = bisectOnError;
                return this;
            }

            /** Read partial batch responses (ReportBatchItemFailures); default on. */
            public Builder reportBatchItemFailures(boolean reportBatchItemFailures) {
                this.reportBatchItemFailures = reportBatchItemFailures;
                return this;
            }

            /** Retries before records go to the on-failure destination, -1 for infinite; default 5. */
            public Builder maxRetries(int maxRetries) {
                this.maxRetries = maxRetries;
                return this;
            }

            /** Age after which records are discarded unprocessed; zero or negative is infinite; default 6 h. */
            public Builder maxRecordAge(Duration maxRecordAge) {
                this.maxRecordAge = maxRecordAge;
                return this;
            }

            /** Concurrent batches per shard (1..10); default 1. */
            public Builder parallelizationFactor(int parallelizationFactor) {
                this.parallelizationFactor = parallelizationFactor;
                return this;
            }

            public StreamMapping build() {
                return new StreamMapping(batchSize, maxBatchingWindow, bisectOnError, reportBatchItemFailures,
                        maxRetries, maxRecordAge, parallelizationFactor);
            }
        }
    }

    /** How the raw archive is flushed (Firehose buffering hints; the local archiver uses the same). */
    public record Archive(Duration bufferInterval, int bufferBytes) {
    }

    /**
     * EventBridge Scheduler expressions, shared by the CDK stack and the local scheduler.
     * {@code rollupLateness} is how long after midnight UTC raw objects of a day may still arrive; the
     * daily rollup fires after that (03:30 UTC with 3 h of lateness) and rolls up
     * {@link #rollupDay the last day whose late arrivals are all in}.
     */
    public record Schedules(String loader, String rollup, Duration rollupLateness) {

        /** The event-time day a rollup fired at {@code scheduledTime} covers: the day before (time − lateness). */
        public LocalDate rollupDay(Instant scheduledTime) {
            return rollupDay(scheduledTime, rollupLateness);
        }

        /** {@link #rollupDay(java.time.Instant)} with another lateness (a job argument may override it). */
        public static LocalDate rollupDay(Instant scheduledTime, Duration lateness) {
            return scheduledTime.minus(lateness).atZone(ZoneOffset.UTC).toLocalDate().minusDays(1);
        }
    }

    /** The warehouse database and schema (Redshift Serverless in AWS, PostgreSQL locally). */
    public record Warehouse(String database, String schema) {
    }
}
