package io.twinflow.infra;

import static io.twinflow.infra.SynthesizedStack.JSON;
import static io.twinflow.infra.SynthesizedStack.SPEC;
import static io.twinflow.infra.SynthesizedStack.TEMPLATE;
import static io.twinflow.infra.SynthesizedStack.arnOf;
import static io.twinflow.infra.SynthesizedStack.keyId;
import static io.twinflow.infra.SynthesizedStack.logicalId;
import static io.twinflow.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.twinflow.functions.SummaryLog;
import io.twinflow.functions.batch.LoaderReport;
import io.twinflow.functions.stream.BatchSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/** {@link Observability} in the synthesized default stack: alarms, metric filters, the dashboard and the topic. */
class ObservabilityTest {

    @Test
    void iteratorAgeAlarmCountsMillisecondsOfTheStreamProcessor() {
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Lambda",
                "MetricName", "IteratorAge",
                "Statistic", "Maximum",
                "Unit", "Milliseconds",
                "Threshold", 300_000,
                "ComparisonOperator", "GreaterThanThreshold",
                "AlarmActions", List.of(ref(topicId()))));
    }

    @Test
    void archiveFreshnessAlarmCountsSecondsAgainstThreeTimesBothBufferIntervals() {
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Firehose",
                "MetricName", "DeliveryToS3.DataFreshness",
                "Unit", "Seconds",
                "Threshold", (SPEC.archive().bufferInterval().toSeconds() + 60) * 3,
                "AlarmActions", List.of(ref(topicId()))));
    }

    @Test
    void failuresInEitherQueueAlarmAtTheFirstMessage() {
        for (String queue : List.of(SPEC.queues().streamFailures(), SPEC.queues().scheduleDeadLetter())) {
            String id = logicalId("AWS::SQS::Queue", Map.of("QueueName", queue));
            TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                    "MetricName", "ApproximateNumberOfMessagesVisible",
                    "Dimensions", List.of(Map.of("Name", "QueueName", "Value", Map.of("Fn::GetAtt", List.of(id, "QueueName")))),
                    "Threshold", 0,
                    "AlarmActions", List.of(ref(topicId()))));
        }
    }

    /** The alarms read what the handler's summary line publishes: the same namespace, dimension and names. */
    @Test
    void theProcessorsMetricsAreTheOnesItsSummaryLineEmbeds() {
        assertThat(Observability.METRIC_NAMESPACE).isEqualTo(BatchSummary.METRIC_NAMESPACE).isEqualTo(LoaderReport.METRIC_NAMESPACE);
        assertThat(Observability.PROCESSOR_FUNCTION).isEqualTo(BatchSummary.FUNCTION);
        assertThat(Observability.STACK_DIMENSION).isEqualTo(SummaryLog.STACK_DIMENSION);
        assertThat(Observability.SOURCE_DIMENSION).isEqualTo(BatchSummary.SOURCE_DIMENSION);
        assertThat(List.of(Observability.SOURCE_KINESIS, Observability.SOURCE_KAFKA))
                .isEqualTo(List.of(BatchSummary.Source.KINESIS.value(), BatchSummary.Source.KAFKA.value()));
        assertThat(Observability.LOADER_FUNCTION_DIMENSION).isEqualTo(LoaderReport.METRIC_DIMENSION);
        assertThat(Observability.LOADER_FUNCTION).isEqualTo(LoaderReport.FUNCTION_NAME);
        assertThat(BatchSummary.METRICS).containsKeys(Observability.RECORDS_METRIC, Observability.QUARANTINED_METRIC,
                Observability.FAILED_METRIC, Observability.DURATION_METRIC);
        // The quarantine count no longer goes through a metric filter.
        TEMPLATE.resourcePropertiesCountIs("AWS::Logs::MetricFilter",
                Map.of("FilterPattern", "{ $.message = \"batch summary\" }"), 0);
    }

    @Test
    void moreThanOnePercentOfRecordsQuarantinedInFiveMinutesAlarms() {
        List<Map<String, Object>> processor = List.of(Map.of("Name", "function", "Value", "stream-processor"),
                Map.of("Name", "stack", "Value", SPEC.prefix()));
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", 1,
                "ComparisonOperator", "GreaterThanThreshold",
                "EvaluationPeriods", 1,
                "TreatMissingData", "notBreaching",
                "AlarmActions", List.of(ref(topicId())),
                "Metrics", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Expression", "IF(records > 0, 100 * quarantined / records, 0)", "ReturnData", true)),
                        Match.objectLike(Map.of("Id", "quarantined", "ReturnData", false, "MetricStat", Map.of(
                                "Metric", Map.of("Namespace", "Twinflow", "MetricName", "quarantined", "Dimensions", processor),
                                "Period", 300, "Stat", "Sum", "Unit", "Count"))),
                        Match.objectLike(Map.of("Id", "records", "ReturnData", false, "MetricStat", Map.of(
                                "Metric", Map.of("Namespace", "Twinflow", "MetricName", "records", "Dimensions", processor),
                                "Period", 300, "Stat", "Sum", "Unit", "Count")))))));
    }

    @Test
    void anyFailedRecordAlarmsFromTheEmbeddedMetric() {
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Twinflow",
                "MetricName", "failed",
                "Dimensions", List.of(Map.of("Name", "function", "Value", "stream-processor"), Map.of("Name", "stack", "Value", SPEC.prefix())),
                "Statistic", "Sum",
                "Period", 300,
                "Unit", "Count",
                "Threshold", 0,
                "ComparisonOperator", "GreaterThanThreshold",
                "AlarmActions", List.of(ref(topicId()))));
    }

    /**
     * Two stacks in one account and region: every alarm on the summary lines' metrics reads this stack's
     * ({@code stack} = its prefix), never the account-wide sets both stacks publish into.
     */
    @Test
    void everyAlarmOnTheSummaryLinesMetricsIsScopedToThisStack() {
        List<JsonNode> stats = new ArrayList<>();
        for (JsonNode alarm : JSON.valueToTree(TEMPLATE.findResources("AWS::CloudWatch::Alarm"))) {
            JsonNode properties = alarm.get("Properties");
            if (properties.has("Namespace")) {
                stats.add(properties);
            }
            properties.path("Metrics").forEach(query -> {
                if (query.has("MetricStat")) {
                    stats.add(query.at("/MetricStat/Metric"));
                }
            });
        }
        List<JsonNode> ours = stats.stream().filter(metric -> metric.get("Namespace").asText().equals("Twinflow")).toList();

        assertThat(ours).extracting(metric -> metric.get("MetricName").asText())
                .containsExactlyInAnyOrder("records", "quarantined", "failed", "OldestUnloadedObjectAgeSeconds");
        assertThat(ours).allSatisfy(metric -> assertThat(metric.get("Dimensions").toString())
                .contains("{\"Name\":\"stack\",\"Value\":\"" + SPEC.prefix() + "\"}"));
    }

    @Test
    void theDashboardGraphsThisStacksKinesisRecordsAndNoKafkaOnesWithoutAnMskSource() {
        String body = JSON.valueToTree(TEMPLATE.findResources("AWS::CloudWatch::Dashboard")).toString();
        assertThat(body).contains("Stream-processor records by source",
                "\\\"source\\\",\\\"kinesis\\\",\\\"stack\\\",\\\"" + SPEC.prefix() + "\\\"")
                .doesNotContain("\\\"kafka\\\"");
    }

    @Test
    void aStackWithoutAKafkaSourceHasNoKafkaFunctionAlarms() {
        assertThat(SynthesizedStack.STACK.observability.kafkaProcessorErrors).isNull();
        assertThat(SynthesizedStack.STACK.observability.kafkaArchiverErrors).isNull();
        assertThat(SynthesizedStack.STACK.observability.kafkaProcessorLag).isNull();
        assertThat(SynthesizedStack.STACK.observability.kafkaQuarantineRate).isNull();
        assertThat(SynthesizedStack.STACK.observability.kafkaArchiverLag).isNull();
        assertThat(JSON.valueToTree(TEMPLATE.findResources("AWS::CloudWatch::Alarm")).toString()).doesNotContain("Kafka").doesNotContain("OffsetLag");
    }

    @Test
    void tracingIsOffByDefault() {
        TEMPLATE.resourcePropertiesCountIs("AWS::Lambda::Function", Map.of("TracingConfig", Match.anyValue()), 0);
    }

    private void assertCountedFromSummaryLine(String message, String metric, String value) {
        TEMPLATE.hasResourceProperties("AWS::Logs::MetricFilter", Map.of(
                "FilterPattern", "{ $.message = \"" + message + "\" }",
                "MetricTransformations", List.of(Map.of(
                        "MetricNamespace", "Twinflow/" + SPEC.prefix(),
                        "MetricName", metric,
                        "MetricValue", value,
                        "Unit", "Count"))));
    }

    @Test
    void anArchivedObjectUnloadedForThreeHoursAlarmsFromTheLoadersEmbeddedMetric() {
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Twinflow",
                "MetricName", "OldestUnloadedObjectAgeSeconds",
                "Dimensions", List.of(Map.of("Name", "Function", "Value", "batch-loader"), Map.of("Name", "stack", "Value", SPEC.prefix())),
                "Statistic", "Maximum",
                "Unit", "Seconds",
                "Threshold", 3 * 3600,
                "ComparisonOperator", "GreaterThanThreshold",
                "EvaluationPeriods", 1,
                // Between two hourly reports the alarm keeps its state rather than clearing.
                "TreatMissingData", "ignore",
                "AlarmActions", List.of(ref(topicId()))));
    }

    @Test
    void dashboardShowsUnloadedObjectsAndTheAgeOfTheOldest() {
        String body = JSON.valueToTree(TEMPLATE.findResources("AWS::CloudWatch::Dashboard")).toString();
        assertThat(body).contains("OldestUnloadedObjectAgeSeconds", "UnloadedObjects", "batch-loader",
                Observability.UNFRAMED_METRIC);
    }

    @Test
    void recordsTheFramerCouldNotFrameAndFailedFramerInvocationsAlarm() {
        assertCountedFromSummaryLine("framing summary", Observability.UNFRAMED_METRIC, "$.failed");
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", Observability.UNFRAMED_METRIC,
                "Threshold", 0,
                "ComparisonOperator", "GreaterThanThreshold",
                "AlarmActions", List.of(ref(topicId()))));
        String framer = logicalId("AWS::Lambda::Function", Map.of("Handler", Ingest.FRAMER_HANDLER));
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "AWS/Lambda",
                "MetricName", "Errors",
                "Dimensions", List.of(Map.of("Name", "FunctionName", "Value", ref(framer))),
                "Threshold", 0,
                "AlarmActions", List.of(ref(topicId()))));
    }

    @Test
    void alarmTopicIsEncryptedAndTheDashboardExists() {
        TEMPLATE.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", arnOf(keyId())));
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Dashboard", Map.of("DashboardName", SPEC.prefix() + "-pipeline"));
        TEMPLATE.hasResourceProperties("AWS::Events::Rule", Map.of(
                "EventPattern", Match.objectLike(Map.of("source", List.of("aws.glue"))),
                "Targets", List.of(Match.objectLike(Map.of("Arn", ref(topicId()))))));
    }

    private String topicId() {
        return logicalId("AWS::SNS::Topic", Map.of());
    }
}
