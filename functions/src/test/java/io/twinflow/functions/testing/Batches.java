package io.twinflow.functions.testing;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.twinflow.core.testing.BadInputCorpus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Builds and slices Kinesis Lambda events the way the event source mapping would deliver them. */
public final class Batches {

    private static final BigInteger FIRST_SEQUENCE = new BigInteger("49590338271490256608559692538361571095921575989136588898");

    private Batches() {
    }

    /** Reads a sample event with the same deserializer the Lambda Java runtime uses. */
    public static KinesisEvent load(String relative) {
        try (InputStream in = Files.newInputStream(BadInputCorpus.eventsDir().resolve(relative))) {
            return LambdaEventSerializers.serializerFor(KinesisEvent.class, Batches.class.getClassLoader()).fromJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 56-digit sequence number, increasing with {@code n}, like Kinesis' own. */
    public static String sequenceNumber(long n) {
        return FIRST_SEQUENCE.add(BigInteger.valueOf(n).multiply(BigInteger.valueOf(1_000_003))).toString();
    }

    public static KinesisEvent.KinesisEventRecord record(String shardId, String sequenceNumber, String partitionKey,
                                                         Instant arrival, byte[] data) {
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setSequenceNumber(sequenceNumber);
        kinesis.setPartitionKey(partitionKey);
        kinesis.setApproximateArrivalTimestamp(Date.from(arrival));
        kinesis.setData(ByteBuffer.wrap(data));
        kinesis.setKinesisSchemaVersion("1.0");
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventID(shardId + ":" + sequenceNumber);
        record.setEventSource("aws:kinesis");
        record.setEventName("aws:kinesis:record");
        record.setEventVersion("1.0");
        record.setAwsRegion("us-east-1");
        record.setEventSourceARN("arn:aws:kinesis:us-east-1:000000000000:stream/twinflow-telemetry");
        return record;
    }

    public static KinesisEvent of(List<KinesisEvent.KinesisEventRecord> records) {
        KinesisEvent event = new KinesisEvent();
        event.setRecords(new ArrayList<>(records));
        return event;
    }

    /** The records from {@code sequenceNumber} on: what Lambda redelivers after a reported failure. */
    public static KinesisEvent from(KinesisEvent event, String sequenceNumber) {
        BigInteger from = new BigInteger(sequenceNumber);
        return of(event.getRecords().stream()
                .filter(r -> new BigInteger(r.getKinesis().getSequenceNumber()).compareTo(from) >= 0)
                .toList());
    }

    public static KinesisEvent slice(KinesisEvent event, int from, int to) {
        return of(event.getRecords().subList(from, to));
    }
}
