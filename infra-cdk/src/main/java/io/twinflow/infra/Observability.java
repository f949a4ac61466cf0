package io.twinflow.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.twinflow.core.pipeline.PipelineSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CreateAlarmOptions;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.Unit;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SnsTopic;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesis.IStream;
import software.amazon.awscdk.services.kinesisfirehose.DeliveryStream;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.MetricFilter;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;
import software.constructs.IConstruct;

/**
 * The dashboard (incoming records, iterator age, errors, quarantined and failed records, archive
 * freshness, records not framed into the archive, archived objects not yet loaded and the age of the
 * oldest, the stream-processor's records by source) and the alarms, all of which notify one encrypted
 * SNS topic; X-Ray tracing when asked for. Every metric of the functions' summary lines is read per
 * {@code stack}, so two stacks in one account and region never alarm on each other's data.
 */
public final class Observability extends Construct {

    /** Behind by this much, the stream-processor can no longer keep the live state "live". */
    static final Duration ITERATOR_AGE_THRESHOLD = Duration.minutes(5);
    /**
     * Firehose buffers for the framer's interval, then the spec's; three times both means the archive is
     * stuck.
     */
    static final int FRESHNESS_BUFFER_MULTIPLE = 3;
    /** The metric the archive-framer's summary line feeds: records it could not frame (under errors/). */
    static final String UNFRAMED_METRIC = "UnframedArchiveRecords";
    /**
     * The namespace of the Embedded Metric Format the functions' summary lines carry (the stream-processor's
     * {@code BatchSummary}, the batch-loader's {@code LoaderReport}).
     */
    static final String METRIC_NAMESPACE = "Twinflow";
    /**
     * The dimension every summary line's metrics carry besides their older sets: the stack's resource prefix, unique
     * per account and region. The alarms and the dashboard read the stack's own metrics only: the older sets add up
     * every stack of the account and region.
     */
    static final String STACK_DIMENSION = "stack";
    /**
     * The stream-processor's: {@code function} with {@code stack} on every metric, and with {@code source} too
     * ({@link #SOURCE_KINESIS} or {@link #SOURCE_KAFKA}: the handler that took the batch). Each is also published per
     * {@code function} alone and per {@code function} and {@code shardId} (the sets from before {@code stack}).
     */
    static final String PROCESSOR_FUNCTION = "stream-processor";
    static final String SOURCE_DIMENSION = "source";
    static final String SOURCE_KINESIS = "kinesis";
    static final String SOURCE_KAFKA = "kafka";
    static final String RECORDS_METRIC = "records";
    static final String QUARANTINED_METRIC = "quarantined";
    static final String FAILED_METRIC = "failed";
    static final String DURATION_METRIC = "durationMs";
    /** More than this share of a 5-minute period's records quarantined means a producer or a rule is broken. */
    static final double QUARANTINE_RATE_PERCENT = 1;
    /** What the batch-loader emits: dimension and metric names ({@code stack} and {@code Function}, and {@code Function} alone). */
    static final String LOADER_FUNCTION_DIMENSION = "Function";
    static final String LOADER_FUNCTION = "batch-loader";
    static final String UNLOADED_OBJECTS_METRIC = "UnloadedObjects";
    static final String OLDEST_UNLOADED_AGE_METRIC = "OldestUnloadedObjectAgeSeconds";
    /**
     * A Kafka consumer group whose offset lag grew in every one of this many consecutive minutes is falling behind
     * its topic: a lag that only rises is one the function no longer catches up on, whatever the traffic, where a
     * threshold in records would have to be derived from a rate the stack does not know.
     */
    static final int OFFSET_LAG_GROWTH_MINUTES = 15;
    /** An archived object older than this and still not in the warehouse means the loader has fallen behind. */
    static final Duration UNLOADED_AGE_THRESHOLD = Duration.hours(3);

    public final Topic alarmTopic;
    public final Metric quarantined;
    /** The stream-processor's quarantine rate: of every record without a Kafka source, of the Kinesis records with one. */
    public final Alarm quarantineRate;
    /** The Kafka records' quarantine rate; null without a Kafka source. */
    public final Alarm kafkaQuarantineRate;
    public final Alarm failedRecords;
    public final Alarm iteratorAge;
    public final Alarm processorErrors;
    /** Failed invocations of the Kafka source's functions; null without a Kafka source. */
    public final Alarm kafkaProcessorErrors;
    public final Alarm kafkaArchiverErrors;
    /** The Kafka source's consumer groups falling behind the topic; null without a Kafka source. */
    public final Alarm kafkaProcessorLag;
    public final Alarm kafkaArchiverLag;
    public final Alarm loaderErrors;
    public final Alarm framerErrors;
    public final Alarm streamFailures;
    public final Alarm scheduleFailures;
    public final Alarm archiveFreshness;
    public final MetricFilter unframedFilter;
    public final Alarm unframedRecords;
    public final Alarm unloadedObjectAge;
    public final Rule rollupFailed;
    public final Dashboard dashboard;

    /**
     * @param msk the Kafka source's functions, or null without one (the stack reads Kinesis only): with one, their
     *     failures and lag alarm, the quarantine rate alarms per source and the dashboard graphs each source's records apart
     */
    public record Props(PipelineSpec spec, IKey key, String alarmEmail, IStream stream, DeliveryStream archive,
                        JavaFunction archiveFramer, StreamProcessing streamProcessing, Batch batch, boolean tracing,
                        MskSource msk) {
    }

    public Observability(Construct scope, String id, Props props) {
        super(scope, id);
        PipelineSpec spec = props.spec();
        JavaFunction processor = props.streamProcessing().processor;
        JavaFunction loader = props.batch().loader;

        alarmTopic = Topic.Builder.create(this, "Alarms")
                .displayName("Twinflow alarms (" + spec.prefix() + ")")
                .masterKey(props.key())
                .enforceSsl(true)
                .build();
        // CloudWatch alarms and EventBridge publish to the encrypted topic, so they must be able to use the key.
        props.key().addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowAlarmPublishersToEncryptForTheTopic")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com"), new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .build());
        if (props.alarmEmail() != null && !props.alarmEmail().isBlank()) {
            alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail()));
        }
        SnsAction notify = new SnsAction(alarmTopic);

        // The stream-processor's counts come from its summary line's embedded metrics: no metric filter,
        // no API call, and the same numbers the line shows. This stack's, of every source it reads.
        Map<String, String> processorDimensions = processorDimensions(spec);
        quarantined = processorMetric(QUARANTINED_METRIC, Unit.COUNT, processorDimensions);
        Metric failed = processorMetric(FAILED_METRIC, Unit.COUNT, processorDimensions);
        // One rate per source the stack reads: a broken Kafka producer would hide in a rate over both sources
        // whenever the Kinesis stream carries most of the traffic (and the other way round).
        if (props.msk() != null) {
            quarantineRate = quarantineRate("QuarantineRate", processorDimensions(spec, SOURCE_KINESIS), "Kinesis", notify);
            kafkaQuarantineRate = quarantineRate("KafkaQuarantineRate", processorDimensions(spec, SOURCE_KAFKA), "Kafka", notify);
        } else {
            quarantineRate = quarantineRate("QuarantineRate", processorDimensions, null, notify);
            kafkaQuarantineRate = null;
        }
        // A failed record is retried by Lambda, but it means a write failed for a reason that is not bad
        // data (throttling, permissions, a fault): worth a look at once.
        failedRecords = alarm("FailedRecords", failed, 0, 1,
                "The stream-processor could not write records (they are retried; see the batch summary lines)", notify);

        // Lambda reports a Kinesis mapping's IteratorAge in milliseconds; the unit pins the query to that.
        Metric iteratorAgeMetric = processor.function.metric("IteratorAge", MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(1)).unit(Unit.MILLISECONDS).build());
        iteratorAge = alarm("IteratorAge", iteratorAgeMetric, ITERATOR_AGE_THRESHOLD.toMilliseconds().doubleValue(), 3,
                "Stream-processor is more than " + ITERATOR_AGE_THRESHOLD.toMinutes() + " min behind the stream (milliseconds)", notify);

        Metric processorErrorMetric = failedInvocations(processor, Duration.minutes(5));
        // The handler reports bad data instead of throwing, so any error is a fault in code or configuration.
        processorErrors = alarm("ProcessorErrors", processorErrorMetric, 0, 1, "Stream-processor invocations failed", notify);
        // The Kafka source's processor and archiver are functions of their own: a fault in either shows only in its metrics.
        if (props.msk() != null) {
            kafkaProcessorErrors = alarm("KafkaProcessorErrors", failedInvocations(props.msk().processor, Duration.minutes(5)), 0, 1,
                    "Kafka stream-processor invocations failed", notify);
            kafkaArchiverErrors = alarm("KafkaArchiverErrors", failedInvocations(props.msk().archiver, Duration.minutes(5)), 0, 1,
                    "Kafka archiver invocations failed (the topic's records are not reaching the raw archive)", notify);
            kafkaProcessorLag = alarm("KafkaProcessorLag", lagGrowth(props.msk().processor), 0, OFFSET_LAG_GROWTH_MINUTES,
                    "The Kafka stream-processor's offset lag grew in each of the last " + OFFSET_LAG_GROWTH_MINUTES
                            + " min: it is falling behind the topic (records)", notify);
            kafkaArchiverLag = alarm("KafkaArchiverLag", lagGrowth(props.msk().archiver), 0, OFFSET_LAG_GROWTH_MINUTES,
                    "The Kafka archiver's offset lag grew in each of the last " + OFFSET_LAG_GROWTH_MINUTES
                            + " min: the raw archive is falling behind the topic (records)", notify);
        } else {
            kafkaProcessorErrors = null;
            kafkaArchiverErrors = null;
            kafkaProcessorLag = null;
            kafkaArchiverLag = null;
        }
        Metric loaderErrorMetric = failedInvocations(loader, Duration.hours(1));
        loaderErrors = alarm("LoaderErrors", loaderErrorMetric, 0, 1, "Batch-loader invocations failed", notify);
        // A failed framer invocation that outlasts Firehose's retries sends its whole buffer to
        // errors/processing-failed/ without a summary line to count it.
        Metric framerErrorMetric = failedInvocations(props.archiveFramer(), Duration.minutes(5));
        framerErrors = alarm("FramerErrors", framerErrorMetric, 0, 1, "Archive-framer invocations failed", notify);

        Metric failureDepth = props.streamProcessing().failures.metricApproximateNumberOfMessagesVisible(
                MetricOptions.builder().statistic("Maximum").period(Duration.minutes(5)).build());
        streamFailures = alarm("StreamFailures", failureDepth, 0, 1,
                "Batches given up by the event source mapping are waiting in the on-failure queue", notify);
        Metric deadLetters = props.batch().scheduleDeadLetter.metricApproximateNumberOfMessagesVisible(
                MetricOptions.builder().statistic("Maximum").period(Duration.minutes(5)).build());
        scheduleFailures = alarm("ScheduleFailures", deadLetters, 0, 1,
                "A scheduled loader or rollup run could not be started", notify);

        // Firehose reports the age of the oldest undelivered record in seconds; a record waits in two
        // buffers, the framer's and the bucket's.
        Metric freshness = props.archive().metric("DeliveryToS3.DataFreshness", MetricOptions.builder()
                .statistic("Maximum").period(Duration.minutes(5)).unit(Unit.SECONDS).build());
        long freshnessThreshold = (spec.archive().bufferInterval().toSeconds() + Ingest.FRAMER_BUFFER_INTERVAL.toSeconds().longValue())
                * FRESHNESS_BUFFER_MULTIPLE;
        archiveFreshness = alarm("ArchiveFreshness", freshness, freshnessThreshold, 2,
                "The raw archive is more than " + freshnessThreshold + " s behind the stream (seconds)", notify);

        // A record the framer could not frame is under errors/processing-failed/, not in the raw archive
        // the warehouse loads: nothing is lost, but someone must look.
        String namespace = "Twinflow/" + spec.prefix();
        unframedFilter = MetricFilter.Builder.create(this, "UnframedFilter")
                .logGroup(props.archiveFramer().logGroup)
                .filterPattern(FilterPattern.stringValue("$.message", "=", "framing summary"))
                .metricNamespace(namespace)
                .metricName(UNFRAMED_METRIC)
                .metricValue("$.failed")
                .unit(Unit.COUNT)
                .build();
        Metric unframed = unframedFilter.metric(MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build());
        unframedRecords = alarm("UnframedRecords", unframed, 0, 1,
                "Records the archive-framer could not frame went to the errors/processing-failed/ prefix, not to the warehouse", notify);

        // The horizon: the loader reports after every run how old the oldest archived object it has not
        // loaded is. Hourly runs emit it once an hour.
        Map<String, String> loaderDimensions = loaderDimensions(spec);
        Metric unloadedAge = Metric.Builder.create()
                .namespace(METRIC_NAMESPACE).metricName(OLDEST_UNLOADED_AGE_METRIC).dimensionsMap(loaderDimensions)
                .statistic("Maximum").period(Duration.hours(1)).unit(Unit.SECONDS).build();
        Metric unloadedObjects = Metric.Builder.create()
                .namespace(METRIC_NAMESPACE).metricName(UNLOADED_OBJECTS_METRIC).dimensionsMap(loaderDimensions)
                .statistic("Maximum").period(Duration.hours(1)).unit(Unit.COUNT).build();
        unloadedObjectAge = unloadedAge.createAlarm(this, "UnloadedObjectAge", CreateAlarmOptions.builder()
                .alarmDescription("An archived raw object has waited more than " + UNLOADED_AGE_THRESHOLD.toHours().intValue()
                        + " h without reaching the warehouse (seconds, from the batch-loader's summary)")
                .threshold(UNLOADED_AGE_THRESHOLD.toSeconds())
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(1)
                // The loader reports once an hour, a few minutes in: an hour without a report keeps the
                // alarm as it was instead of clearing it. A loader that stops running alarms through
                // LoaderErrors and ScheduleFailures.
                .treatMissingData(TreatMissingData.IGNORE)
                .build());
        unloadedObjectAge.addAlarmAction(notify);

        if (props.tracing()) {
            traceEveryFunction();
        }

        rollupFailed = Rule.Builder.create(this, "RollupFailed")
                .description("The daily-rollup Glue job ended in failure")
                .eventPattern(EventPattern.builder()
                        .source(List.of("aws.glue"))
                        .detailType(List.of("Glue Job State Change"))
                        // Sorted: Map.of's order changes from one JVM to the next, and so would the template.
                        .detail(new TreeMap<>(Map.of("jobName", List.of(props.batch().rollup.getName()),
                                "state", List.of("FAILED", "TIMEOUT", "ERROR"))))
                        .build())
                .targets(List.of(new SnsTopic(alarmTopic)))
                .build();

        Metric incoming = props.stream().metricIncomingRecords(MetricOptions.builder()
                .statistic("Sum").period(Duration.minutes(1)).build());
        // The Kinesis stream-processor is in every stack; the Kafka one with an MSK source.
        List<Metric> recordsBySource = new ArrayList<>();
        recordsBySource.add(processorMetric(RECORDS_METRIC, Unit.COUNT, processorDimensions(spec, SOURCE_KINESIS)).with(
                MetricOptions.builder().label(SOURCE_KINESIS).build()));
        if (props.msk() != null) {
            recordsBySource.add(processorMetric(RECORDS_METRIC, Unit.COUNT, processorDimensions(spec, SOURCE_KAFKA)).with(
                    MetricOptions.builder().label(SOURCE_KAFKA).build()));
        }
        List<List<IWidget>> rows = new ArrayList<>(List.of(
                        List.of(graph("Incoming records (per minute)", List.of(incoming)),
                                graph("Stream-processor iterator age (ms)", List.of(iteratorAgeMetric))),
                        List.of(graph("Errors", List.of(processorErrorMetric, loaderErrorMetric, framerErrorMetric, failureDepth, deadLetters)),
                                graph("Quarantined and failed records (per 5 min)", List.of(quarantined, failed))),
                        List.of(graph("Raw archive freshness (s)", List.of(freshness)),
                                graph("Records not framed into the archive (per 5 min)", List.of(unframed))),
                        List.of(graph("Oldest archived object not yet loaded (s)", List.of(unloadedAge)),
                                graph("Archived objects not yet loaded", List.of(unloadedObjects))),
                        List.of(graph("Stream-processor records by source (per 5 min)", recordsBySource))));
        if (props.msk() != null) {
            rows.add(List.of(graph("Kafka offset lag (records)", List.of(offsetLag(props.msk().processor).with(
                    MetricOptions.builder().label("stream-processor").build()), offsetLag(props.msk().archiver).with(
                    MetricOptions.builder().label("archiver").build())))));
        }
        dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(spec.prefix() + "-pipeline")
                .widgets(rows)
                .build();
    }

    /**
     * X-Ray active tracing on every function of the stack, with the two actions it needs. Observability is
     * the stack's last construct, so every function exists by now.
     */
    private void traceEveryFunction() {
        for (IConstruct construct : Stack.of(this).getNode().findAll()) {
            if (construct instanceof JavaFunction traced) {
                ((CfnFunction) traced.function.getNode().getDefaultChild())
                        .setTracingConfig(CfnFunction.TracingConfigProperty.builder().mode("Active").build());
                traced.function.addToRolePolicy(PolicyStatement.Builder.create()
                        .sid("XRayActiveTracing")
                        .actions(List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords"))
                        .resources(List.of("*"))
                        .build());
                NagSuppressions.addResourceSuppressions(traced.role, List.of(NagPackSuppression.builder()
                        .id("AwsSolutions-IAM5")
                        .reason("X-Ray's PutTraceSegments and PutTelemetryRecords have no resource-level permissions")
                        .appliesTo(List.of("Resource::*"))
                        .build()), true);
            }
        }
    }

    /** The stream-processor's metrics of this stack, every source added up. Sorted: the template's order is stable. */
    static Map<String, String> processorDimensions(PipelineSpec spec) {
        return new TreeMap<>(Map.of(STACK_DIMENSION, spec.prefix(), "function", PROCESSOR_FUNCTION));
    }

    /** The stream-processor's metrics of this stack and one source. */
    static Map<String, String> processorDimensions(PipelineSpec spec, String source) {
        Map<String, String> dimensions = processorDimensions(spec);
        dimensions.put(SOURCE_DIMENSION, source);
        return dimensions;
    }

    /** The batch-loader's metrics of this stack. */
    static Map<String, String> loaderDimensions(PipelineSpec spec) {
        return new TreeMap<>(Map.of(STACK_DIMENSION, spec.prefix(), LOADER_FUNCTION_DIMENSION, LOADER_FUNCTION));
    }

    private static Metric processorMetric(String name, Unit unit, Map<String, String> dimensions) {
        return Metric.Builder.create()
                .namespace(METRIC_NAMESPACE).metricName(name).dimensionsMap(dimensions)
                .statistic("Sum").period(Duration.minutes(5)).unit(unit).build();
    }

    /** A function's failed invocations, summed per {@code period}: what every error alarm and the errors graph read. */
    private static Metric failedInvocations(JavaFunction function, Duration period) {
        return function.function.metricErrors(MetricOptions.builder().statistic("Sum").period(period).build());
    }

    /**
     * How much a Kafka function's consumer-group offset lag (Lambda's {@code OffsetLag}, topic-wide, in records)
     * changed from one minute to the next: above 0 in every minute of a run, the function is not keeping up.
     */
    private static MathExpression lagGrowth(JavaFunction function) {
        return MathExpression.Builder.create()
                .expression("DIFF(lag)")
                .usingMetrics(Map.of("lag", offsetLag(function)))
                .label("Offset lag growth (records per minute)")
                .period(Duration.minutes(1))
                .build();
    }

    /** More than {@link #QUARANTINE_RATE_PERCENT} of the records of {@code dimensions} quarantined in 5 minutes. */
    private Alarm quarantineRate(String id, Map<String, String> dimensions, String source, SnsAction notify) {
        MathExpression quarantinedPercent = MathExpression.Builder.create()
                .expression("IF(records > 0, 100 * quarantined / records, 0)")
                // Sorted: Map.of's order changes from one JVM to the next, and so would the template.
                .usingMetrics(new TreeMap<>(Map.of("records", processorMetric(RECORDS_METRIC, Unit.COUNT, dimensions),
                        "quarantined", processorMetric(QUARANTINED_METRIC, Unit.COUNT, dimensions))))
                .label("Quarantined (% of records)")
                .period(Duration.minutes(5))
                .build();
        return alarm(id, quarantinedPercent, QUARANTINE_RATE_PERCENT, 1, "More than " + QUARANTINE_RATE_PERCENT
                + " % of the stream-processor's " + (source == null ? "" : source + " ") + "records were quarantined in 5 min", notify);
    }

    /** A Kafka function's consumer-group offset lag, the most seen in each minute. */
    private static Metric offsetLag(JavaFunction function) {
        return function.function.metric("OffsetLag", MetricOptions.builder().statistic("Maximum").period(Duration.minutes(1)).build());
    }

    private Alarm alarm(String id, IMetric metric, double threshold, int periods, String description, SnsAction notify) {
        Alarm alarm = Alarm.Builder.create(this, id)
                .metric(metric)
                .alarmDescription(description)
                .threshold(threshold)
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .evaluationPeriods(periods)
                // No data means no traffic (or nothing failed): not an alarm.
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build();
        alarm.addAlarmAction(notify);
        return alarm;
    }

    private static GraphWidget graph(String title, List<? extends IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(new ArrayList<>(metrics)).width(12).build();
    }
}
