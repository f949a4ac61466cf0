package io.twinflow.functions.archive;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.KinesisFirehoseEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.archive.ArchiveLine;
import io.twinflow.core.archive.ArchivedRecord;
import io.twinflow.functions.SummaryLog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchiveFramerHandlerTest {

    /** The shape Firehose sends when its source is a Kinesis stream (record 2 has no metadata). */
    private static final String EVENT = """
            {"invocationId":"inv-1","sourceKinesisStreamArn":"arn:aws:kinesis:eu-central-1:123456789012:stream/twinflow-telemetry",
             "deliveryStreamArn":"arn:aws:firehose:eu-central-1:123456789012:deliverystream/archive","region":"eu-central-1",
             "records":[
              {"recordId":"rec-1","approximateArrivalTimestamp":1764324931123,"data":"%s",
               "kinesisRecordMetadata":{"shardId":"shardId-000000000001","partitionKey":"sensor-0042",
                 "approximateArrivalTimestamp":1764324931100,
                 "sequenceNumber":"49546986683135544286507457936321625675700192471156785154","subsequenceNumber":0}},
              {"recordId":"rec-2","approximateArrivalTimestamp":1764324931200,"data":"e30="}
             ]}
            """;

    @Test
    void lambdaRuntimeSerializationReadsMetadataAndWritesFirehoseResponseShape() throws Exception {
        byte[] pretty = "{\n \"schemaVersion\": 1\n}".getBytes(StandardCharsets.UTF_8);
        String json = EVENT.formatted(Base64.getEncoder().encodeToString(pretty));
        // As the Lambda Java runtime does: its serializer for the events library, then its POJO serializer.
        KinesisFirehoseEvent event = LambdaEventSerializers.serializerFor(KinesisFirehoseEvent.class,
                getClass().getClassLoader()).fromJson(json);

        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        ArchiveFramerHandler handler = ArchiveFramerHandler.builder()
                .summaryOutput(new PrintStream(logs, true, StandardCharsets.UTF_8))
                .build();

        ArchiveFramerHandler.Response response = handler.handleRequest(event, null);

        PojoSerializer<ArchiveFramerHandler.Response> out = JacksonFactory.getInstance().getSerializer(ArchiveFramerHandler.Response.class);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        out.toJson(response, written);
        JsonNode records = new ObjectMapper().readTree(written.toByteArray()).get("records");
        assertThat(records).hasSize(2);
        assertThat(records.get(0).get("recordId").asText()).isEqualTo("rec-1");
        assertThat(records.get(0).get("result").asText()).isEqualTo("Ok");
        byte[] line = Base64.getDecoder().decode(records.get(0).get("data").asText());
        ArchiveLine.Read read = ArchiveLine.read(Arrays.copyOf(line, line.length - 1), Instant.EPOCH);
        ArchivedRecord record = ((ArchiveLine.Record) read).record();
        assertThat(record.data()).isEqualTo(pretty);
        assertThat(record.arrival()).isEqualTo(Instant.ofEpochMilli(1764324931100L));
        assertThat(record.shardId()).isEqualTo("shardId-000000000001");
        assertThat(record.sequenceNumber()).isEqualTo("49546986683135544286507457936321625675700192471156785154");

        assertThat(records.get(1).get("recordId").asText()).isEqualTo("rec-2");
        assertThat(records.get(1).get("result").asText()).isEqualTo("ProcessingFailed");
        assertThat(records.get(1).has("data")).isTrue();
        JsonNode summary = new ObjectMapper().readTree(logs.toString(StandardCharsets.UTF_8));
        assertThat(summary.get("message").asText()).isEqualTo("framing summary");
        assertThat(summary.get("records").asInt()).isEqualTo(2);
        assertThat(summary.get("failed").asInt()).isEqualTo(1);
    }

    @Test
    void summaryLineCountsFailedRecordsForTheMetricFilter() {
        ArchiveFramer.Framed framed = new ArchiveFramer().frame(List.of(
                new ArchiveFramer.Input("a", new byte[0], null, null, null)));
        String line = SummaryLog.json(ArchiveFramerHandler.summary(framed, "req-1"));
        assertThat(line).isEqualTo("{\"message\":\"framing summary\",\"function\":\"archive-framer\",\"requestId\":\"req-1\","
                + "\"records\":1,\"framed\":0,\"failed\":1,\"failedBecause\":{\"" + framed.records().get(0).failure() + "\":1}}");
        assertThat(line).contains("no Kinesis record metadata");
    }
}
