package io.twinflow.infra;

import static io.twinflow.infra.SynthesizedStack.JSON;
import static io.twinflow.infra.SynthesizedStack.SPEC;
import static io.twinflow.infra.SynthesizedStack.TEMPLATE;
import static io.twinflow.infra.SynthesizedStack.arnOf;
import static io.twinflow.infra.SynthesizedStack.keyId;
import static io.twinflow.infra.SynthesizedStack.logicalId;
import static io.twinflow.infra.SynthesizedStack.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.twinflow.functions.batch.LoaderReport;
import io.twinflow.functions.stream.BatchSummary;
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
        assertThat(Observability.PROCESSOR_METRIC_DIMENSIONS).isEqualTo(Map.of("function", BatchSummary.FUNCTION));
        assertThat(BatchSummary.METRICS).containsKeys(Observability.RECORDS_METRIC, Observability.QUARANTINED_METRIC,
                Observability.FAILED_METRIC, Observability.DURATION_METRIC);
        // The quarantine count no longer goes through a metric filter.
        TEMPLATE.resourcePropertiesCountIs("AWS::Logs::MetricFilter",
                Map.of("FilterPattern", "{ $.message = \"batch summary\" }"), 0);
    }

    @Test
    void moreThanOnePercentOfRecordsQuarantinedInFiveMinutesAlarms() {
        Map<String, Object> processor = Map.of("Name", "function", "Value", "stream-processor");
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Threshold", 1,
                "ComparisonOperator", "GreaterThanThreshold",
                "EvaluationPeriods", 1,
                "TreatMissingData", "notBreaching",
                "AlarmActions", List.of(ref(topicId())),
                "Metrics", Match.arrayWith(List.of(
                        Match.objectLike(Map.of("Expression", "IF(records > 0, 100 * quarantined / records, 0)", "ReturnData", true)),
                        Match.objectLike(Map.of("Id", "quarantined", "ReturnData", false, "MetricStat", Map.of(
                                "Metric", Map.of("Namespace", "Twinflow", "MetricName", "quarantined", "Dimensions", List.of(processor)),
                                "Period", 300, "Stat", "Sum", "Unit", "Count"))),
                        Match.objectLike(Map.of("Id", "records", "ReturnData", false, "MetricStat", Map.of(
                                "Metric", Map.of("Namespace", "Twinflow", "MetricName", "records", "Dimensions", List.of(processor)),
                                "Period", 300, "Stat", "Sum", "Unit", "Count")))))));
    }

    @Test
    void anyFailedRecordAlarmsFromTheEmbeddedMetric() {
        TEMPLATE.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "Twinflow",
                "MetricName", "failed",
                "Dimensions", List.of(Map.of("Name", "function", "Value", "stream-processor")),
                "Statistic", "Sum",
                "Period", 300,
                "Unit", "Count",
                "Threshold", 0,
                "ComparisonOperator", "GreaterThanThreshold",
                "AlarmActions", List.of(ref(topicId()))));
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
                "Dimensions", List.of(Map.of("Name", "Function", "Value", "batch-loader")),
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
