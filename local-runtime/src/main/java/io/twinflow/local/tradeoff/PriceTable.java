package io.twinflow.local.tradeoff;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.twinflow.core.error.UserMistakeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prices and published limits a run is costed with: the repository's {@code tradeoff/prices.json}
 * (us-east-1, on-demand, no free tier; each number with the public page it comes from) or a file of the
 * same shape given with {@code --prices}. Every field the cost model uses must be there: a file that lacks
 * one is refused with the field's name rather than costed with a guess.
 */
public record PriceTable(String region, LocalDate asOf, String note, Map<String, Entry> prices, Map<String, Entry> limits,
                         String origin) {

    /** One price (USD) or limit, with what it is per and where it comes from. */
    public record Entry(double value, String per, String source, String note) {
    }

    /** The repository's price file, on the classpath. */
    public static final String BUNDLED = "/tradeoff/prices.json";

    public static final String KINESIS_STREAM_HOUR = "kinesisOnDemandStreamHour";
    public static final String KINESIS_DATA_IN_GB = "kinesisOnDemandDataInGb";
    public static final String KINESIS_DATA_OUT_GB = "kinesisOnDemandDataOutGb";
    public static final String KINESIS_SHARD_HOUR = "kinesisShardHour";
    public static final String KINESIS_PUT_UNITS_MILLION = "kinesisPutPayloadUnitsMillion";
    public static final String LAMBDA_REQUESTS_MILLION = "lambdaRequestsMillion";
    public static final String LAMBDA_ARM_GB_SECOND = "lambdaArmGbSecond";
    public static final String LAMBDA_X86_GB_SECOND = "lambdaX86GbSecond";
    public static final String DYNAMODB_WRU_MILLION = "dynamoDbWriteRequestUnitsMillion";
    public static final String DYNAMODB_RRU_MILLION = "dynamoDbReadRequestUnitsMillion";
    public static final String S3_PUT_THOUSAND = "s3PutRequestsThousand";
    public static final String S3_GET_THOUSAND = "s3GetRequestsThousand";
    public static final String FIREHOSE_GB = "firehoseIngestGb";
    public static final String GLUE_DPU_HOUR = "glueDpuHour";
    public static final String REDSHIFT_RPU_HOUR = "redshiftServerlessRpuHour";
    public static final String SQS_REQUESTS_MILLION = "sqsRequestsMillion";

    public static final String SHARD_RECORDS_PER_SECOND = "kinesisShardRecordsPerSecond";
    public static final String SHARD_BYTES_PER_SECOND = "kinesisShardBytesPerSecond";
    public static final String KINESIS_ROUNDING_BYTES = "kinesisOnDemandRoundingBytes";
    public static final String PUT_PAYLOAD_UNIT_BYTES = "kinesisPutPayloadUnitBytes";
    public static final String FIREHOSE_ROUNDING_BYTES = "firehoseRoundingBytes";
    public static final String LAMBDA_CONCURRENCY = "lambdaConcurrency";
    public static final String GLUE_MINIMUM_SECONDS = "glueMinimumBillingSeconds";
    public static final String REDSHIFT_MINIMUM_SECONDS = "redshiftMinimumBillingSeconds";
    /** Not published: the repository's benchmarks, the rate a batch job's time grows with beyond what a small run shows. */
    public static final String ROLLUP_EVENTS_PER_SECOND = "rollupEventsPerSecond";
    public static final String LOADER_ROWS_PER_SECOND = "loaderRowsPerSecond";

    static final List<String> PRICE_KEYS = List.of(KINESIS_STREAM_HOUR, KINESIS_DATA_IN_GB, KINESIS_DATA_OUT_GB,
            KINESIS_SHARD_HOUR, KINESIS_PUT_UNITS_MILLION, LAMBDA_REQUESTS_MILLION, LAMBDA_ARM_GB_SECOND, LAMBDA_X86_GB_SECOND,
            DYNAMODB_WRU_MILLION, DYNAMODB_RRU_MILLION, S3_PUT_THOUSAND, S3_GET_THOUSAND, FIREHOSE_GB, GLUE_DPU_HOUR,
            REDSHIFT_RPU_HOUR, SQS_REQUESTS_MILLION);
    static final List<String> LIMIT_KEYS = List.of(SHARD_RECORDS_PER_SECOND, SHARD_BYTES_PER_SECOND, KINESIS_ROUNDING_BYTES,
            PUT_PAYLOAD_UNIT_BYTES, FIREHOSE_ROUNDING_BYTES, LAMBDA_CONCURRENCY, GLUE_MINIMUM_SECONDS, REDSHIFT_MINIMUM_SECONDS,
            ROLLUP_EVENTS_PER_SECOND, LOADER_ROWS_PER_SECOND);

    private static final ObjectMapper JSON = new ObjectMapper();

    public PriceTable {
        prices = Map.copyOf(prices);
        limits = Map.copyOf(limits);
    }

    /** The repository's prices. */
    public static PriceTable bundled() {
        try (InputStream in = PriceTable.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException(BUNDLED + " is missing from the classpath");
            }
            return parse(JSON.readTree(in), "bundled " + BUNDLED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A price file given by the user: any problem is a {@link UserMistakeException} naming the field. */
    public static PriceTable load(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UserMistakeException("cannot read prices file " + file + ": " + e.getMessage().lines().findFirst().orElse("")
                    + " (give a JSON file shaped like the repository's local-runtime/src/main/resources" + BUNDLED + ")");
        }
        return parse(root, file.toString());
    }

    static PriceTable parse(JsonNode root, String origin) {
        if (root == null || !root.isObject()) {
            throw mistake(origin, "the file is not a JSON object");
        }
        String region = text(root, "region", origin);
        String asOfText = text(root, "asOf", origin);
        LocalDate asOf;
        try {
            asOf = LocalDate.parse(asOfText);
        } catch (DateTimeParseException e) {
            throw mistake(origin, "asOf must be a date YYYY-MM-DD, got \"" + asOfText + "\"");
        }
        Map<String, Entry> prices = entries(root, "prices", "usd", PRICE_KEYS, origin);
        Map<String, Entry> limits = entries(root, "limits", "value", LIMIT_KEYS, origin);
        return new PriceTable(region, asOf, root.path("note").asText(""), prices, limits, origin);
    }

    private static Map<String, Entry> entries(JsonNode root, String section, String valueField, List<String> keys, String origin) {
        JsonNode node = root.get(section);
        if (node == null || !node.isObject()) {
            throw mistake(origin, "missing field " + section);
        }
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (String key : keys) {
            JsonNode entry = node.get(key);
            String path = section + "." + key;
            if (entry == null || !entry.isObject()) {
                throw mistake(origin, "missing field " + path);
            }
            JsonNode value = entry.get(valueField);
            boolean rate = valueField.equals("value");
            if (value == null || !value.isNumber() || value.asDouble() < 0 || rate && value.asDouble() == 0 || !Double.isFinite(value.asDouble())) {
                throw mistake(origin, path + "." + valueField + " must be a number " + (rate ? "> 0" : ">= 0"));
            }
            entries.put(key, new Entry(value.asDouble(), entry.path("per").asText(""), text(entry, "source", origin, path),
                    entry.path("note").asText("")));
        }
        return entries;
    }

    private static String text(JsonNode node, String field, String origin) {
        return text(node, field, origin, null);
    }

    private static String text(JsonNode node, String field, String origin, String parent) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw mistake(origin, "missing field " + (parent == null ? "" : parent + ".") + field);
        }
        return value.asText();
    }

    private static UserMistakeException mistake(String origin, String what) {
        return new UserMistakeException("prices file " + origin + ": " + what
                + " (the repository's local-runtime/src/main/resources" + BUNDLED + " shows every field)");
    }

    /** A price in USD. */
    public double price(String key) {
        return entry(prices, key).value();
    }

    /** A published limit. */
    public double limit(String key) {
        return entry(limits, key).value();
    }

    private static Entry entry(Map<String, Entry> map, String key) {
        Entry e = map.get(key);
        if (e == null) {
            throw new IllegalArgumentException("no such price or limit: " + key);
        }
        return e;
    }

    /** The report's {@code prices} object. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("region", region);
        m.put("asOf", asOf.toString());
        m.put("file", origin);
        m.put("note", note);
        Map<String, Object> p = new LinkedHashMap<>();
        for (String key : PRICE_KEYS) {
            Entry e = prices.get(key);
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("usd", e.value());
            one.put("per", e.per());
            one.put("source", e.source());
            if (!e.note().isEmpty()) {
                one.put("note", e.note());
            }
            p.put(key, one);
        }
        m.put("usd", p);
        Map<String, Object> l = new LinkedHashMap<>();
        for (String key : LIMIT_KEYS) {
            l.put(key, limits.get(key).value());
        }
        m.put("limits", l);
        return m;
    }
}
