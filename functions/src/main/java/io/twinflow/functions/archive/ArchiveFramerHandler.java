package io.twinflow.functions.archive;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisFirehoseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.utils.BinaryUtils;

/**
 * The Firehose data-transformation Lambda of the raw archive. Thin: it turns the Firehose event into
 * {@link ArchiveFramer.Input}s (record bytes and the {@code kinesisRecordMetadata} Firehose adds when
 * its source is a Kinesis stream), delegates to {@link ArchiveFramer}, logs one summary line and
 * returns each record as its envelope line. It needs no configuration and makes no AWS call.
 */
public class ArchiveFramerHandler implements RequestHandler<KinesisFirehoseEvent, ArchiveFramerHandler.Response> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Firehose's expected response: every input recordId once, with its result and base64 data. */
    public record Response(List<ResponseRecord> records) {
    }

    public record ResponseRecord(String recordId, String result, String data) {
    }

    private final ArchiveFramer framer;

    public ArchiveFramerHandler() {
        this(new ArchiveFramer());
    }

    ArchiveFramerHandler(ArchiveFramer framer) {
        this.framer = framer;
    }

    @Override
    public Response handleRequest(KinesisFirehoseEvent event, Context context) {
        List<ArchiveFramer.Input> inputs = toInputs(event);
        ArchiveFramer.Framed framed = framer.frame(inputs);
        List<ResponseRecord> records = new ArrayList<>(framed.records().size());
        Base64.Encoder base64 = Base64.getEncoder();
        for (ArchiveFramer.Output out : framed.records()) {
            records.add(new ResponseRecord(out.recordId(), out.result().name(), base64.encodeToString(out.data())));
        }
        String line = summary(framed, context == null ? null : context.getAwsRequestId());
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line + "\n");
        } else {
            System.out.println(line);
        }
        return new Response(records);
    }

    static List<ArchiveFramer.Input> toInputs(KinesisFirehoseEvent event) {
        if (event == null || event.getRecords() == null) {
            return List.of();
        }
        List<ArchiveFramer.Input> inputs = new ArrayList<>(event.getRecords().size());
        for (KinesisFirehoseEvent.Record r : event.getRecords()) {
            Map<String, String> meta = r.getKinesisRecordMetadata();
            inputs.add(new ArchiveFramer.Input(r.getRecordId(), bytes(r.getData()),
                    meta == null ? null : meta.get("shardId"),
                    meta == null ? null : meta.get("sequenceNumber"),
                    meta == null ? null : epochMillis(meta.get("approximateArrivalTimestamp"))));
        }
        return inputs;
    }

    /** Firehose gives the Kinesis arrival time as epoch milliseconds. */
    private static Instant epochMillis(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] bytes(ByteBuffer data) {
        return data == null ? new byte[0] : BinaryUtils.copyRemainingBytesFrom(data);
    }

    /** One line per invocation; the stack's metric filter counts {@code failed}. */
    static String summary(ArchiveFramer.Framed framed, String requestId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("message", "framing summary");
        node.put("function", "archive-framer");
        if (requestId != null) {
            node.put("requestId", requestId);
        }
        node.put("records", framed.records().size());
        node.put("framed", framed.records().size() - framed.failed());
        node.put("failed", framed.failed());
        TreeMap<String, Integer> byFailure = new TreeMap<>();
        framed.records().stream().filter(o -> o.failure() != null).forEach(o -> byFailure.merge(o.failure(), 1, Integer::sum));
        ObjectNode failures = node.putObject("failedBecause");
        byFailure.forEach(failures::put);
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a summary is always serialisable", e);
        }
    }
}
