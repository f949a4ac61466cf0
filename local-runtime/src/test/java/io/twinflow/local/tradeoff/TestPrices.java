package io.twinflow.local.tradeoff;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/** A price table fixed in the tests, so that the hand computations do not move when the repository's file is updated. */
final class TestPrices {

    private TestPrices() {
    }

    static PriceTable table() {
        Map<String, PriceTable.Entry> prices = new LinkedHashMap<>();
        price(prices, PriceTable.KINESIS_STREAM_HOUR, 0.04);
        price(prices, PriceTable.KINESIS_DATA_IN_GB, 0.08);
        price(prices, PriceTable.KINESIS_DATA_OUT_GB, 0.04);
        price(prices, PriceTable.KINESIS_SHARD_HOUR, 0.015);
        price(prices, PriceTable.KINESIS_PUT_UNITS_MILLION, 0.014);
        price(prices, PriceTable.LAMBDA_REQUESTS_MILLION, 0.20);
        price(prices, PriceTable.LAMBDA_ARM_GB_SECOND, 0.0000133334);
        price(prices, PriceTable.LAMBDA_X86_GB_SECOND, 0.0000166667);
        price(prices, PriceTable.DYNAMODB_WRU_MILLION, 0.625);
        price(prices, PriceTable.DYNAMODB_RRU_MILLION, 0.125);
        price(prices, PriceTable.S3_PUT_THOUSAND, 0.005);
        price(prices, PriceTable.S3_GET_THOUSAND, 0.0004);
        price(prices, PriceTable.FIREHOSE_GB, 0.029);
        price(prices, PriceTable.GLUE_DPU_HOUR, 0.44);
        price(prices, PriceTable.REDSHIFT_RPU_HOUR, 0.375);
        price(prices, PriceTable.SQS_REQUESTS_MILLION, 0.40);
        Map<String, PriceTable.Entry> limits = new LinkedHashMap<>();
        price(limits, PriceTable.SHARD_RECORDS_PER_SECOND, 1000);
        price(limits, PriceTable.SHARD_BYTES_PER_SECOND, 1_048_576);
        price(limits, PriceTable.KINESIS_ROUNDING_BYTES, 1024);
        price(limits, PriceTable.PUT_PAYLOAD_UNIT_BYTES, 25_600);
        price(limits, PriceTable.FIREHOSE_ROUNDING_BYTES, 5120);
        price(limits, PriceTable.LAMBDA_CONCURRENCY, 1000);
        price(limits, PriceTable.GLUE_MINIMUM_SECONDS, 60);
        price(limits, PriceTable.REDSHIFT_MINIMUM_SECONDS, 60);
        price(limits, PriceTable.ROLLUP_EVENTS_PER_SECOND, 4000);
        price(limits, PriceTable.LOADER_ROWS_PER_SECOND, 12_000);
        return new PriceTable("us-east-1", LocalDate.parse("2026-11-28"), "test", prices, limits, "test");
    }

    /**
     * 1,000 events of 250 bytes sent in 10 s (100/s): 20 invocations, 2 ms of handler time per event, 0.4 write
     * and 0.1 read units per event, one quarantined event in 100; one loader run of 1 s for 1,000 rows (2 LIST,
     * 1 GET); one rollup of 20 s wall, 5 s of it the job, for 1,000 events. Benchmarked rates (test values):
     * the rollup 4,000 events/s, the loader 12,000 rows/s.
     */
    static RunFacts facts() {
        return new RunFacts(1000, 10, 250_000, 1_024_000, 1000, 5_120_000, 20, 2000, 400, 100, 10, 0, 1,
                1, 1000, 1000, 2, 1, 1, 20_000, 5000, 1000);
    }

    private static void price(Map<String, PriceTable.Entry> map, String key, double value) {
        map.put(key, new PriceTable.Entry(value, "unit", "https://example.invalid/" + key, ""));
    }
}
