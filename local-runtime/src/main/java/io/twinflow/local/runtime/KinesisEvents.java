package io.twinflow.local.runtime;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Builds the {@link KinesisEvent} Lambda delivers for a batch of records of one shard. */
public final class KinesisEvents {

    /** A synchronous invocation's payload may not exceed 6 MB. */
    public static final long MAX_PAYLOAD_BYTES = 6L * 1024 * 1024;

    /** Generous allowance for one record's JSON envelope around the base64 data (ids, ARNs, names). */
    private static final int ENVELOPE_BYTES = 600;

    private KinesisEvents() {
    }

    public static KinesisEvent toEvent(List<StreamRecord> records, String region, String streamArn,
                                       String invokeIdentityArn) {
        List<KinesisEvent.KinesisEventRecord> out = new ArrayList<>(records.size());
        for (StreamRecord r : records) {
            KinesisEvent.Record kinesis = new KinesisEvent.Record();
            kinesis.setKinesisSchemaVersion("1.0");
            kinesis.setPartitionKey(r.partitionKey());
            kinesis.setSequenceNumber(r.sequenceNumber());
            // A copy, so a handler that consumes or mutates the buffer cannot change a record that
            // will be redelivered on retry.
            kinesis.setData(ByteBuffer.wrap(r.data().clone()));
            kinesis.setApproximateArrivalTimestamp(Date.from(r.approximateArrival()));
            kinesis.setEncryptionType("NONE");

            KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
            record.setKinesis(kinesis);
            record.setEventSource("aws:kinesis");
            record.setEventVersion("1.0");
            record.setEventID(r.eventId());
            record.setEventName("aws:kinesis:record");
            record.setInvokeIdentityArn(invokeIdentityArn);
            record.setAwsRegion(region);
            record.setEventSourceARN(streamArn);
            out.add(record);
        }
        KinesisEvent event = new KinesisEvent();
        event.setRecords(out);
        return event;
    }

    /** An upper bound of what the record adds to the event's JSON: base64 data plus its envelope. */
    public static long payloadBytes(StreamRecord record) {
        return 4L * ((record.data().length + 2) / 3) + ENVELOPE_BYTES + record.partitionKey().length();
    }
}
